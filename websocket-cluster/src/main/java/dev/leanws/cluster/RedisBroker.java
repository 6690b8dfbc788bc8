package dev.leanws.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} on Redis pub/sub, with its own small blocking RESP2 client on virtual
 * threads (two sockets per node: one subscribed, one publishing).
 *
 * <pre>{@code
 * RedisBroker broker = RedisBroker.builder("rediss://app:secret@redis.internal:6380/0")
 *         .tls(mySslContext)                       // optional: default trust otherwise
 *         .connectTimeout(Duration.ofSeconds(3))
 *         .build();
 * ClusterTopics cluster = ClusterTopics.attach(server, broker);   // starts it: fails fast
 * }</pre>
 *
 * <p><b>URLs.</b> {@code redis://[[user]:password@]host[:port][/db]}, and {@code rediss://}
 * for TLS (the certificate must name the host). With a user, {@code AUTH user password} (Redis
 * 6 ACLs); with a password only, {@code AUTH password}.
 *
 * <p><b>Outages.</b> When Redis goes away, the broker logs it once, drops publishes (counted in
 * {@link #lostPublications()}), reconnects with exponential backoff and jitter, subscribes again
 * to every channel, and logs once how long it was away and how many publishes were lost. Redis
 * pub/sub is at most once: what other nodes published meanwhile is not replayed. A connection
 * that goes silent (no reply to the keep-alive PING within three intervals) counts as gone.
 */
public final class RedisBroker implements Broker {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
    /** Channels per SUBSCRIBE when resubscribing after a reconnection. */
    private static final int SUBSCRIBE_BATCH = 512;
    private static final byte[] PUBLISH = Resp.utf8("PUBLISH");

    private final RedisUri uri;
    private final Builder settings;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();     // changed under subscriptions
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();  // as Redis acknowledged
    private final ReentrantLock subscriptions = new ReentrantLock();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong reconnections = new AtomicLong();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile RedisSession session;
    private volatile Listener listener;
    private Thread supervisor;

    private RedisBroker(Builder b) {
        this.uri = b.uri;
        this.settings = b;
    }

    /** A broker for {@code url} with every default; see {@link Builder}. */
    public static RedisBroker create(String url) {
        return builder(url).build();
    }

    /**
     * @throws IllegalArgumentException if {@code url} is not a {@code redis://} or {@code rediss://} URL
     */
    public static Builder builder(String url) {
        return new Builder(RedisUri.parse(Objects.requireNonNull(url, "url")));
    }

    @Override
    public void start(Listener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        subscriptions.lock();
        try {
            if (this.listener != null) {
                throw new IllegalStateException("started already");
            }
            RedisSession s = openSession();   // fails fast: nothing retried at start
            this.listener = listener;
            session = s;
            resubscribe(s);
        } finally {
            subscriptions.unlock();
        }
        LOG.info("connected to Redis at {}", uri);
        supervisor = Thread.ofVirtual().name("leanws-redis-supervisor").start(this::supervise);
    }

    @Override
    public void subscribe(String channel) {
        Objects.requireNonNull(channel, "channel");
        subscriptions.lock();
        try {
            if (wanted.add(channel)) {
                send(session, Resp.command("SUBSCRIBE", channel));
            }
        } finally {
            subscriptions.unlock();
        }
    }

    @Override
    public void unsubscribe(String channel) {
        Objects.requireNonNull(channel, "channel");
        subscriptions.lock();
        try {
            if (wanted.remove(channel)) {
                send(session, Resp.command("UNSUBSCRIBE", channel));
            }
        } finally {
            subscriptions.unlock();
        }
    }

    @Override
    public boolean publish(String channel, byte[] message) {
        RedisSession s = session;
        if (s != null && s.offer(Resp.command(PUBLISH, Resp.utf8(channel), message))) {
            return true;
        }
        lost.incrementAndGet();
        return false;
    }

    /** Publishes dropped since start: during outages, or past the pending-bytes limit. */
    public long lostPublications() {
        return lost.get();
    }

    /** How many times the broker has reconnected after losing Redis. */
    public long reconnections() {
        return reconnections.get();
    }

    /** Whether the broker is connected to Redis now. */
    public boolean isConnected() {
        RedisSession s = session;
        return s != null && !s.hasEnded();
    }

    /** The channels Redis has confirmed this node is subscribed to, now (a snapshot). */
    public Set<String> subscribedChannels() {
        return Set.copyOf(confirmed);
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        RedisSession s = session;
        if (s != null) {
            s.end(null);
        }
        Thread t = supervisor;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("disconnected from Redis at {}", uri);
    }

    @Override
    public String toString() {
        return "RedisBroker[" + uri + (isConnected() ? ", connected" : ", disconnected") + "]";
    }

    private RedisSession openSession() throws IOException {
        RedisSession s = RedisSession.open(uri, settings.tls, settings.connectTimeout, settings.maxMessageBytes,
                settings.maxPendingBytes);
        try {
            s.start(new Pushes(), settings.pingInterval.multipliedBy(3));
        } catch (IOException | RuntimeException e) {
            s.end(e);
            throw e;
        }
        return s;
    }

    /** Keeps a session up: pings while connected, reconnects with backoff when it ends. */
    private void supervise() {
        try {
            while (closed.getCount() > 0) {
                RedisSession s = session;
                while (!s.awaitEnd(settings.pingInterval)) {
                    send(s, Resp.command("PING"));
                    s.ping();
                }
                if (closed.getCount() == 0) {
                    return;
                }
                reconnect(s);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // close() may have run while a reconnection was opening a session: end that one too
            RedisSession s = session;
            if (s != null && closed.getCount() == 0) {
                s.end(null);
            }
        }
    }

    private void reconnect(RedisSession dead) throws InterruptedException {
        long start = System.nanoTime();
        session = null;
        confirmed.clear();
        long lostBefore = lost.get();
        lost.addAndGet(dead.unsent());
        Throwable cause = dead.cause();
        LOG.warn("lost the connection to Redis at {} ({}); reconnecting with backoff. Until then, publishes to "
                + "other nodes are dropped and counted (at most once across nodes)", uri,
                cause == null ? "closed" : cause.getMessage() != null ? cause.getMessage() : cause.toString());
        long backoff = settings.minBackoff.toNanos();
        while (true) {
            long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            if (closed.await(jittered, TimeUnit.NANOSECONDS)) {
                return;
            }
            try {
                RedisSession s = openSession();
                subscriptions.lock();
                try {
                    session = s;
                    resubscribe(s);
                } finally {
                    subscriptions.unlock();
                }
                break;
            } catch (IOException e) {
                LOG.debug("Redis at {} still unreachable: {}", uri, e.getMessage());
                backoff = Math.min(backoff * 2, settings.maxBackoff.toNanos());
            }
        }
        reconnections.incrementAndGet();
        LOG.warn("reconnected to Redis at {} after {} ms; {} publishes were lost to other nodes meanwhile", uri,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), lost.get() - lostBefore);
    }

    /** Subscribes a new session to every wanted channel. Caller holds {@code subscriptions}. */
    private void resubscribe(RedisSession s) {
        List<String> all = new ArrayList<>(wanted);
        for (int i = 0; i < all.size(); i += SUBSCRIBE_BATCH) {
            List<String> batch = all.subList(i, Math.min(all.size(), i + SUBSCRIBE_BATCH));
            String[] args = new String[batch.size() + 1];
            args[0] = "SUBSCRIBE";
            for (int j = 0; j < batch.size(); j++) {
                args[j + 1] = batch.get(j);
            }
            send(s, Resp.command(args));
        }
    }

    /** Writes on the subscriber connection; a failure ends the session (the supervisor reconnects). */
    private void send(RedisSession s, byte[] command) {
        if (s == null) {
            return;   // resubscribe() sends it once connected
        }
        subscriptions.lock();
        try {
            s.sub.write(command);
            s.sub.flush();
        } catch (IOException e) {
            s.end(e);
        } finally {
            subscriptions.unlock();
        }
    }

    private final class Pushes implements RedisSession.Pushes {
        @Override
        public void message(String channel, byte[] payload) {
            try {
                listener.onMessage(channel, payload);
            } catch (RuntimeException e) {
                LOG.warn("broker listener failed on a message of channel {}", channel, e);
            }
        }

        @Override
        public void subscribed(String channel) {
            if (channel != null) {
                confirmed.add(channel);
            }
        }

        @Override
        public void unsubscribed(String channel) {
            confirmed.remove(channel);
        }
    }

    /** Settings of a {@link RedisBroker}; every one has a default. */
    public static final class Builder {
        private final RedisUri uri;
        private SSLContext tls;
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration pingInterval = Duration.ofSeconds(10);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private long maxPendingBytes = 64L * 1024 * 1024;
        private int maxMessageBytes = 64 * 1024 * 1024;

        private Builder(RedisUri uri) {
            this.uri = uri;
        }

        private Builder(Builder b) {
            this(b.uri);
            tls = b.tls;
            connectTimeout = b.connectTimeout;
            pingInterval = b.pingInterval;
            minBackoff = b.minBackoff;
            maxBackoff = b.maxBackoff;
            maxPendingBytes = b.maxPendingBytes;
            maxMessageBytes = b.maxMessageBytes;
        }

        /** The TLS context for {@code rediss://} URLs (default: the JDK's, with its default trust store). */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /** Bound on connecting and logging in, at start and on each reconnection attempt (default 3 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Keep-alive PING interval; three silent intervals end the connection (default 10 s). */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive(interval, "pingInterval");
            return this;
        }

        /** First and longest wait between reconnection attempts (default 100 ms doubling up to 5 s). */
        public Builder reconnectBackoff(Duration first, Duration longest) {
            this.minBackoff = positive(first, "first");
            this.maxBackoff = positive(longest, "longest");
            if (longest.compareTo(first) < 0) {
                throw new IllegalArgumentException("longest backoff " + longest + " < first " + first);
            }
            return this;
        }

        /** Most bytes of publishes waiting to be written to Redis; past it they are dropped (default 64 MiB). */
        public Builder maxPendingBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxPendingBytes must be > 0: " + bytes);
            }
            this.maxPendingBytes = bytes;
            return this;
        }

        /** Largest message accepted from Redis; a larger one ends the connection (default 64 MiB). */
        public Builder maxMessageBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be > 0: " + bytes);
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /** A broker with these settings (a copy: changing the builder later does not change it); not started. */
        public RedisBroker build() {
            return new RedisBroker(new Builder(this));
        }

        private static Duration positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0: " + d);
            }
            return d;
        }
    }
}
