package dev.leanws.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live TLS settings of a running server ({@link WebSocketServer#tls()}): certificates are
 * replaced without a restart. A reload builds a new {@link SSLContext}; connections accepted
 * after it use the new one, connections already open keep the session they negotiated.
 *
 * <pre>{@code
 * server.tls().reload();                                   // re-read the configured files
 * server.tls().reload(TlsConfig.pem(newChain, newKey));    // or switch to other files
 * }</pre>
 *
 * A reload that fails (a file missing or half-written) throws and leaves the current
 * certificates in place.
 */
public final class ServerTls {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    /** A configuration and the context built from it, swapped as one. */
    private record Live(TlsConfig config, SSLContext context, List<FileTime> stamps) {
    }

    private final ReentrantLock reloading = new ReentrantLock();
    private final TlsConfig initial;
    private volatile Live live;          // null until the server starts (or a reload)
    private volatile Thread watcher;
    private volatile boolean stopped;

    ServerTls(TlsConfig config) {
        this.initial = Objects.requireNonNull(config, "config");
    }

    /** The configuration in use. */
    public TlsConfig config() {
        Live l = live;
        return l != null ? l.config() : initial;
    }

    /**
     * Re-reads the current configuration's files (or takes its {@link SSLContext} again).
     *
     * @throws IOException if a file cannot be read or parsed; the current certificates stay
     */
    public void reload() throws IOException {
        reload(config());
    }

    /**
     * Switches to {@code config} for the connections accepted from now on.
     *
     * @throws IOException if its files cannot be read or parsed; the current certificates stay
     */
    public void reload(TlsConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        reloading.lock();
        try {
            live = load(config);
            LOG.info("TLS certificates loaded: {}", config);
        } finally {
            reloading.unlock();
        }
    }

    private static Live load(TlsConfig config) throws IOException {
        List<FileTime> stamps = stamps(config.files());
        try {
            return new Live(config, config.load(), stamps);
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS configuration refused: " + e.getMessage(), e);
        }
    }

    private static List<FileTime> stamps(List<Path> files) {
        List<FileTime> stamps = new ArrayList<>();
        for (Path f : files) {
            try {
                stamps.add(Files.getLastModifiedTime(f));
            } catch (IOException e) {
                stamps.add(FileTime.fromMillis(0));
            }
        }
        return stamps;
    }

    /** A server-mode engine for a new connection, from the current context. */
    SSLEngine newEngine(InetSocketAddress peer) {
        Live l = live;
        SSLEngine engine = l.context().createSSLEngine(peer.getHostString(), peer.getPort());
        engine.setUseClientMode(false);
        SSLParameters params = engine.getSSLParameters();
        List<String> supported = Arrays.asList(engine.getSupportedProtocols());
        params.setProtocols(l.config().protocols().stream().filter(supported::contains).toArray(String[]::new));
        switch (l.config().clientAuth()) {
            case REQUIRED -> params.setNeedClientAuth(true);
            case OPTIONAL -> params.setWantClientAuth(true);
            case NONE -> { }
        }
        engine.setSSLParameters(params);
        return engine;
    }

    /**
     * Loads the certificates (unless a reload did) and starts the file watcher if the
     * configuration asks for one: a server whose certificates cannot be read does not start.
     */
    void start() throws IOException {
        reloading.lock();
        try {
            if (live == null) {
                live = load(initial);
            }
        } finally {
            reloading.unlock();
        }
        if (live.config().watchInterval().isEmpty()) {
            return;
        }
        watcher = Thread.ofVirtual().name("leanws-tls-watch").start(this::watch);
    }

    void stop() {
        stopped = true;
        Thread t = watcher;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void watch() {
        while (!stopped) {
            Live l = live;
            long interval = l.config().watchInterval().map(java.time.Duration::toNanos).orElse(0L);
            if (interval == 0) {
                return;
            }
            LockSupport.parkNanos(interval);
            if (stopped) {
                return;
            }
            l = live;
            if (!stamps(l.config().files()).equals(l.stamps())) {
                try {
                    reload(l.config());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("TLS certificate files changed but cannot be loaded (keeping the current ones): {}",
                            e.getMessage());
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ServerTls[" + config() + "]";
    }
}
