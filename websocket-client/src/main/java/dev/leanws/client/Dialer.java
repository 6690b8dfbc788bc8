package dev.leanws.client;

import dev.leanws.runtime.HandshakeGuard;
import dev.leanws.WebSocketConfig;
import dev.leanws.client.OpeningHandshake.Established;
import dev.leanws.handshake.ClientHandshake;
import dev.leanws.handshake.WebSocketUri;
import dev.leanws.runtime.Transport;
import dev.leanws.runtime.Watchdog;
import java.io.IOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes connection attempts to one URI: TCP within the connect timeout, then the opening
 * handshake within the handshake timeout, each attempt with a fresh {@code Sec-WebSocket-Key}.
 * Used for the first connection and for every reconnection; {@link #cancel()} ends an attempt
 * under way from another thread, and every later one, for good.
 */
final class Dialer {

    private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);

    private final URI uri;
    private final WebSocketUri target;
    private final ClientConfig options;
    private final Connector connector;
    private final Watchdog watchdog;
    private volatile HandshakeGuard inFlight;
    private volatile boolean cancelled;

    /**
     * @throws IllegalArgumentException for a URI that is not a usable ws:// URI, or options the
     *                                  handshake refuses
     */
    Dialer(URI uri, ClientConfig options, Connector connector, Watchdog watchdog) {
        this.uri = uri;
        this.target = WebSocketUri.of(uri);
        this.options = options;
        this.connector = connector;
        this.watchdog = watchdog;
        newHandshake();   // fail now, not at the first attempt, on anything the handshake refuses
    }

    /** The watchdog that checks the attempts' deadlines (and the connections' after them). */
    Watchdog watchdog() {
        return watchdog;
    }

    URI uri() {
        return uri;
    }

    /**
     * One attempt.
     *
     * @throws java.net.SocketTimeoutException        when the connect or handshake timeout passed
     * @throws java.io.InterruptedIOException         when {@link #cancel()} ended it
     * @throws dev.leanws.HandshakeException          when the server refused or answered an invalid 101
     * @throws IOException                            for any other network or HTTP failure
     */
    Established dial() throws IOException {
        WebSocketConfig config = options.config();
        ClientHandshake handshake = newHandshake();
        Transport transport = null;
        try (HandshakeGuard deadline = new HandshakeGuard(watchdog)) {
            inFlight = deadline;
            if (cancelled) {
                deadline.cancel();
            }
            try {
                deadline.start("connect", options.connectTimeout());
                deadline.check();
                transport = connector.connect(target, deadline);
                deadline.start("handshake", config.handshakeTimeout());
                deadline.guard(transport);
                Established established = OpeningHandshake.perform(handshake, transport, config.maxHandshakeBytes());
                if (!deadline.disarm()) {
                    throw new IOException("connection attempt ended");   // explained below: timeout or cancel
                }
                LOG.debug("connected to {} ({})", uri, transport);
                return established;
            } catch (IOException e) {
                closeQuietly(transport);
                throw deadline.explain(e);
            } catch (RuntimeException e) {
                closeQuietly(transport);
                throw e;
            }
        } finally {
            inFlight = null;
        }
    }

    /** Ends the attempt under way, if any, and makes every later attempt fail at once. */
    void cancel() {
        cancelled = true;
        HandshakeGuard attempt = inFlight;
        if (attempt != null) {
            attempt.cancel();
        }
    }

    private ClientHandshake newHandshake() {
        ClientHandshake.Builder builder = ClientHandshake.builder(uri)
                .subprotocols(options.subprotocols())
                .extensions(options.extensionOffers());
        options.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        return builder.build();
    }

    private static void closeQuietly(Transport transport) {
        if (transport != null) {
            transport.close();
        }
    }
}
