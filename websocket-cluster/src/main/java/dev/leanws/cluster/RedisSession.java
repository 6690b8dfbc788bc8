package dev.leanws.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One period of being connected to Redis: a subscriber connection (in RESP2 it can only
 * (un)subscribe and ping once subscribed) and a publisher connection, with their threads. When
 * either connection fails, the whole session ends ({@link #awaitEnd}); {@link RedisBroker}
 * then builds a new one. Publishes are pipelined: callers queue encoded commands, one writer
 * thread writes them in batches, one reader thread consumes the replies.
 */
final class RedisSession {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSession.class);
    private static final byte[] PING = Resp.command("PING");
    private static final int BATCH_BYTES = 64 * 1024;

    /** What the subscriber connection receives, for the broker to act on. */
    interface Pushes {
        void message(String channel, byte[] payload);

        void subscribed(String channel);

        void unsubscribed(String channel);
    }

    /** Written by the broker under its subscription lock; read by this session's thread. */
    final RedisConnection sub;
    private final RedisConnection pub;
    private final long maxPendingBytes;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CountDownLatch endedLatch = new CountDownLatch(1);
    private volatile Throwable cause;
    private Thread writer;

    private RedisSession(RedisConnection sub, RedisConnection pub, long maxPendingBytes) {
        this.sub = sub;
        this.pub = pub;
        this.maxPendingBytes = maxPendingBytes;
    }

    /** Opens both connections (or neither). */
    static RedisSession open(RedisUri uri, javax.net.ssl.SSLContext tls, Duration timeout, int maxBulk,
            long maxPendingBytes) throws IOException {
        RedisConnection sub = RedisConnection.open(uri, tls, timeout, maxBulk, "leanws-sub");
        try {
            RedisConnection pub = RedisConnection.open(uri, tls, timeout, maxBulk, "leanws-pub");
            return new RedisSession(sub, pub, maxPendingBytes);
        } catch (IOException | RuntimeException e) {
            sub.close();
            throw e;
        }
    }

    /** Starts the reader and writer threads; {@code readTimeout} is how long a silent connection is trusted. */
    void start(Pushes pushes, Duration readTimeout) throws IOException {
        sub.readTimeout(readTimeout);
        pub.readTimeout(readTimeout);
        Thread.ofVirtual().name("leanws-redis-sub").start(() -> guarded(() -> readPushes(pushes)));
        Thread.ofVirtual().name("leanws-redis-pub-replies").start(() -> guarded(this::readReplies));
        writer = Thread.ofVirtual().name("leanws-redis-pub").start(() -> guarded(this::writePublishes));
    }

    /** Queues an encoded PUBLISH; false if this session has ended or too much is waiting. */
    boolean offer(byte[] command) {
        if (ended.get() || pendingBytes.addAndGet(command.length) > maxPendingBytes) {
            if (!ended.get()) {
                pendingBytes.addAndGet(-command.length);
            }
            return false;
        }
        queue.add(command);
        return true;
    }

    /** Sends a keep-alive on the publisher connection (the subscriber one is pinged by the broker). */
    void ping() {
        queue.add(PING);
    }

    /** Ends the session (idempotent): closes both sockets, which ends the threads. */
    void end(Throwable why) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        cause = why;
        sub.close();
        pub.close();
        Thread w = writer;
        if (w != null) {
            w.interrupt();
        }
        endedLatch.countDown();
    }

    /** Waits up to {@code timeout} for the session to end; true once it has. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return endedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean hasEnded() {
        return ended.get();
    }

    Throwable cause() {
        return cause;
    }

    /** After the end: how many queued publishes were never written (they are lost). */
    int unsent() {
        int n = 0;
        for (byte[] c : queue) {
            if (c != PING) {
                n++;
            }
        }
        queue.clear();
        return n;
    }

    private interface IoTask {
        void run() throws IOException, InterruptedException;
    }

    private void guarded(IoTask task) {
        try {
            task.run();
        } catch (IOException | InterruptedException | RuntimeException e) {
            end(e);
        } catch (Error e) {
            end(e);
            throw e;
        }
    }

    private void readPushes(Pushes pushes) throws IOException {
        while (!ended.get()) {
            Object reply = sub.read();
            if (reply instanceof List<?> push && push.size() >= 3 && push.get(0) instanceof byte[] kind) {
                String k = Resp.describe(kind);
                String channel = push.get(1) instanceof byte[] ch ? Resp.describe(ch) : null;
                switch (k) {
                    case "message" -> {
                        if (channel != null && push.get(2) instanceof byte[] payload) {
                            pushes.message(channel, payload);
                        }
                    }
                    case "subscribe" -> pushes.subscribed(channel);
                    case "unsubscribe" -> {
                        if (channel != null) {
                            pushes.unsubscribed(channel);
                        }
                    }
                    default -> { }   // "pong"
                }
            } else if (reply instanceof Resp.Error e) {
                LOG.warn("Redis refused a subscription command: {}", e.message());
            }
        }
    }

    private void readReplies() throws IOException {
        boolean warned = false;
        while (!ended.get()) {
            if (pub.read() instanceof Resp.Error e && !warned) {
                warned = true;   // e.g. an ACL without PUBLISH rights: once per session, not per message
                LOG.warn("Redis refused a PUBLISH: {} (further refusals in this connection are not logged)", e.message());
            }
        }
    }

    private void writePublishes() throws IOException, InterruptedException {
        while (!ended.get()) {
            byte[] command = queue.take();
            int batch = 0;
            do {
                pub.write(command);
                if (command != PING) {
                    pendingBytes.addAndGet(-command.length);
                }
                batch += command.length;
            } while (batch < BATCH_BYTES && (command = queue.poll()) != null);
            pub.flush();
        }
    }
}
