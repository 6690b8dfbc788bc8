package dev.leanws.server;

import static dev.leanws.handshake.HandshakeHeaders.CONNECTION;
import static dev.leanws.handshake.HandshakeHeaders.CONTENT_LENGTH;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_KEY;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_VERSION;
import static dev.leanws.handshake.HandshakeHeaders.TRANSFER_ENCODING;

import dev.leanws.event.EventManager;
import dev.leanws.event.WsEvent;
import dev.leanws.DeflateConfig;
import dev.leanws.handshake.HandshakeResult;
import dev.leanws.handshake.PerMessageDeflate;
import dev.leanws.handshake.ServerHandshake;
import dev.leanws.http.internal.HeaderFields;
import dev.leanws.http.internal.HttpHeadParser;
import dev.leanws.http.internal.HttpHeadWriter;
import dev.leanws.http.internal.HttpParseException;
import dev.leanws.http.internal.HttpRequestHead;
import dev.leanws.http.internal.HttpResponseHead;
import dev.leanws.http.internal.ImmutableHttpRequest;
import dev.leanws.runtime.ConnectionSetup;
import dev.leanws.runtime.HandshakeJfrEvent;
import dev.leanws.runtime.MetricsRecorder;
import dev.leanws.runtime.SlotPool;
import dev.leanws.runtime.TlsTransport;
import dev.leanws.runtime.Transport;
import dev.leanws.session.Compression;
import dev.leanws.session.Role;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP part of a connection's life: reads the request head within the limits, then either
 * runs the opening handshake (RFC checks, the endpoint's rules, its {@link UpgradeHook}) and
 * writes the 101, or serves a plain request through the {@link HttpHandler}. Pure
 * request/response: threads, deadlines and closing belong to {@link ConnectionTask}.
 *
 * <p>A request is treated as a WebSocket attempt when it carries {@code Upgrade: websocket} or
 * any {@code Sec-WebSocket-Key}/{@code Sec-WebSocket-Version} header; such a request with a
 * missing or wrong {@code Upgrade} gets 426 from the handshake. Every other request is plain
 * HTTP.
 */
final class UpgradeHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UpgradeHandler.class);

    /** Most header fields a request head may have (431 past it). */
    static final int MAX_HEADER_COUNT = 100;
    private static final int READ_BUFFER = 1024;   // most upgrade requests fit; a longer head takes two reads
    private static final int LINE_BUFFER = 256;    // most header lines fit; the parser grows past it on its own
    /** Lent per exchange; twice the carriers of a large machine is plenty (a miss only allocates). */
    private static final int HEAD_BUFFER_SLOTS = 16;
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);
    private static final byte[] NO_BODY = {};
    private static final HttpResponse NOT_FOUND = HttpResponse.text(404, "not found\n");
    private static final HttpResponse SERVER_ERROR = HttpResponse.text(500, "internal server error\n");

    /**
     * A request head, the bytes that arrived behind it (in a lent buffer: copied out before
     * {@link #release}), and when we started reading it.
     */
    record Request(HttpRequestHead head, ByteBuffer leftover, long startNanos, HeadBuffers lent) {
    }

    /**
     * The buffers a request head is read and parsed into, lent per exchange (see
     * {@link SlotPool}): 1.3 KiB of the ~13 KiB a handshake allocated before they were.
     */
    record HeadBuffers(ByteBuffer read, byte[] line) {
    }

    /** An accepted upgrade: what the connection needs, and bytes (frames) that followed the head. */
    record Upgrade(ConnectionSetup setup, ByteBuffer leftover) {
    }

    private final ServerConfig config;
    private final MetricsRecorder metrics;
    /** Per endpoint: its handlers, then the server's. */
    private final Map<Endpoint, Consumer<WsEvent>> dispatchers = new IdentityHashMap<>();
    private final SlotPool<HeadBuffers> heads = new SlotPool<>(HEAD_BUFFER_SLOTS,
            () -> new HeadBuffers(ByteBuffer.allocate(READ_BUFFER), new byte[LINE_BUFFER]));

    UpgradeHandler(ServerConfig config, EventManager serverEvents, MetricsRecorder metrics) {
        this.config = config;
        this.metrics = metrics;
        for (Endpoint e : config.endpoints()) {
            EventManager own = e.events();
            dispatchers.put(e, event -> {
                own.dispatch(event);
                serverEvents.dispatch(event);
            });
        }
    }

    /**
     * Reads one request head.
     *
     * @return the head, or null if the peer closed before completing it (nothing to answer);
     *         the caller gives its buffers back with {@link #release} once it is answered
     * @throws HttpParseException to be answered with its status (400, 431, 505)
     */
    Request readRequest(Transport transport) throws IOException, HttpParseException {
        long start = System.nanoTime();
        int limit = config.config().maxHandshakeBytes();
        HeadBuffers lent = heads.take();
        boolean handedOn = false;
        try {
            HttpHeadParser parser = new HttpHeadParser(limit, MAX_HEADER_COUNT, lent.line());
            ByteBuffer buffer = lent.read().clear().limit(Math.min(READ_BUFFER, limit));
            while (true) {
                if (transport.read(buffer) < 0) {
                    return null;
                }
                buffer.flip();
                if (parser.feed(buffer)) {
                    Request request = new Request(parser.request(), buffer, start, lent);
                    handedOn = true;
                    return request;
                }
                buffer.clear().limit(Math.min(READ_BUFFER, limit));   // the parser consumed all of it
            }
        } finally {
            if (!handedOn) {
                heads.give(lent);   // the parser failed (or could not be built) or the peer left: nothing refers to them
            }
        }
    }

    /**
     * Gives a request's buffers back. After {@link #answer} (which copies out what the
     * connection keeps) or instead of it; nothing may read {@code request.leftover()} after.
     */
    void release(Request request) {
        heads.give(request.lent());
    }

    /**
     * Answers a request.
     *
     * @return the upgrade to run, or null when a response was written and the exchange is over
     */
    Upgrade answer(String id, Transport transport, Request request) throws IOException {
        HttpRequestHead head = request.head();
        HeaderFields h = head.headers();
        if (ServerHandshake.isUpgradeRequest(head) || h.contains(SEC_WEBSOCKET_KEY) || h.contains(SEC_WEBSOCKET_VERSION)) {
            return upgrade(id, transport, request);
        }
        serveHttp(id, transport, request);
        return null;
    }

    private Upgrade upgrade(String id, Transport transport, Request request) throws IOException {
        HttpRequestHead head = request.head();
        Endpoint endpoint = config.route(head.path()).orElse(null);
        if (endpoint == null) {
            // Still an RFC check first: a malformed attempt gets the handshake's answer, not 404.
            HandshakeResult checked = ServerHandshake.process(head, dev.leanws.UpgradeConfig.defaults());
            if (checked instanceof HandshakeResult.Rejected r) {
                return refused(id, transport, request, r);
            }
            LOG.debug("{} upgrade to {} refused: no endpoint", id, head.path());
            answered(id, transport, request, 404);
            write(transport, render(HttpResponse.text(404, "no WebSocket endpoint at " + head.path() + "\n"), false));
            return null;
        }
        HandshakeResult result = ServerHandshake.process(head, endpoint.upgrade(),
                PerMessageDeflate.negotiator(config.deflateOf(endpoint)));
        if (result instanceof HandshakeResult.Rejected r) {
            return refused(id, transport, request, r);
        }
        HandshakeResult.Accepted accepted = (HandshakeResult.Accepted) result;
        ImmutableHttpRequest view = new ImmutableHttpRequest(head, transport.remoteAddress(), transport.localAddress(),
                NO_BODY).withPathParameters(endpoint.pattern().match(head.path()).orElseThrow())
                .withTlsSession(tlsSession(transport));
        if (!endpoint.originAllowed(view)) {
            LOG.debug("{} upgrade {} refused: origin {} not allowed", id, view, view.header("Origin").orElse("(none)"));
            answered(id, transport, request, 403);
            write(transport, render(HttpResponse.text(403, "origin not allowed\n"), false));
            return null;
        }
        UpgradeDecision decision;
        try {
            decision = endpoint.hook().onUpgrade(view);
            if (decision == null) {
                throw new IllegalStateException("the upgrade hook returned null");
            }
        } catch (Exception e) {
            LOG.warn("{} upgrade hook failed on {}", id, view, e);
            answered(id, transport, request, SERVER_ERROR.status());
            write(transport, render(SERVER_ERROR, false));
            return null;
        }
        if (!decision.isAccepted()) {
            LOG.debug("{} upgrade {} refused by the hook: {}", id, view, decision.rejection().status());
            answered(id, transport, request, decision.rejection().status());
            write(transport, render(decision.rejection(), false));
            return null;
        }
        return accept(id, transport, request, endpoint, view, accepted, decision);
    }

    private Upgrade refused(String id, Transport transport, Request request, HandshakeResult.Rejected r)
            throws IOException {
        HttpRequestHead head = request.head();
        answered(id, transport, request, r.status());
        LOG.debug("{} upgrade {} {} from {} refused: {} {}", id, head.method(), head.target(),
                transport.remoteAddress(), r.status(), r.reason());
        write(transport, ServerHandshake.responseBytes(r));
        return null;
    }

    /** Writes the 101 and hands on what the connection needs. */
    private Upgrade accept(String id, Transport transport, Request request, Endpoint endpoint, ImmutableHttpRequest view,
            HandshakeResult.Accepted accepted, UpgradeDecision decision) throws IOException {
        HeaderFields headers = accepted.responseHeaders();
        if (!decision.headers().isEmpty()) {
            headers = headers.mutableCopy();
            decision.headers().forEach(headers::add);
            headers = headers.readOnlyView();
        }
        write(transport, HttpHeadWriter.response(
                new HttpResponseHead("HTTP/1.1", 101, HttpHeadWriter.reasonPhrase(101), headers), NO_BODY));
        answered(id, transport, request, 101);
        DeflateConfig deflate = config.deflateOf(endpoint);
        Compression compression = PerMessageDeflate.agreed(accepted.extensions())
                .map(params -> new Compression(params, deflate)).orElse(null);
        ConnectionSetup setup = new ConnectionSetup(id, Role.SERVER, config.configOf(endpoint), dispatchers.get(endpoint),
                null, view, accepted.subprotocol(), accepted.extensions(), decision.attributesForConnection(), null,
                config.watchdog(), config.memory(), metrics, compression);
        return new Upgrade(setup, compact(request.leftover()));
    }

    private void answered(String id, Transport transport, Request request, int status) {
        answered(id, transport, request.head().path(), status, request.startNanos());
    }

    /**
     * Counts an answered opening handshake (or a request refused before it could be told
     * apart from one: 400, 431, 505, 503) and records its JFR event.
     */
    void answered(String id, Transport transport, String path, int status, long startNanos) {
        metrics.handshake(status);
        HandshakeJfrEvent.emit(id, transport.remoteAddress(), path, status, startNanos);
    }

    /**
     * The bytes behind the head in a buffer of their own size (usually none), so an idle
     * connection does not keep the handshake's read buffer alive.
     */
    private static ByteBuffer compact(ByteBuffer leftover) {
        if (!leftover.hasRemaining()) {
            return NO_BYTES;   // nothing to read from it, and a buffer of capacity 0 has no state to change
        }
        return ByteBuffer.allocate(leftover.remaining()).put(leftover).flip();
    }

    private void serveHttp(String id, Transport transport, Request request) throws IOException {
        HttpRequestHead head = request.head();
        HeaderFields h = head.headers();
        if (h.contains(TRANSFER_ENCODING)) {
            refuse(id, transport, 501, TRANSFER_ENCODING + " request bodies are not supported");
            return;
        }
        long length = 0;
        if (h.contains(CONTENT_LENGTH)) {
            length = contentLength(h.all(CONTENT_LENGTH));
            if (length < 0) {
                refuse(id, transport, 400, "malformed " + CONTENT_LENGTH);
                return;
            }
            if (length > config.maxHttpBodySize()) {
                refuse(id, transport, 413, "request body larger than " + config.maxHttpBodySize() + " bytes");
                return;
            }
        }
        byte[] body = readBody(transport, request.leftover(), (int) length);
        if (body == null) {
            return;   // the peer closed before sending its body
        }
        ImmutableHttpRequest httpRequest = new ImmutableHttpRequest(head, transport.remoteAddress(),
                transport.localAddress(), body).withTlsSession(tlsSession(transport));
        HttpResponse response;
        HttpHandler handler = config.httpHandler();
        try {
            response = handler == null ? null : handler.handle(httpRequest);
        } catch (Exception e) {
            LOG.warn("{} HTTP handler failed on {}", id, httpRequest, e);
            response = SERVER_ERROR;
        }
        if (response == null) {
            response = NOT_FOUND;
        }
        LOG.debug("{} {} -> {}", id, httpRequest, response.status());
        write(transport, render(response, "HEAD".equals(head.method())));
    }

    private static javax.net.ssl.SSLSession tlsSession(Transport transport) {
        return transport instanceof TlsTransport tls ? tls.session() : null;
    }

    /** Answers a malformed or unacceptable request with a text/plain refusal. */
    static void refuse(String id, Transport transport, int status, String reason) throws IOException {
        LOG.debug("{} request from {} refused: {} {}", id, transport.remoteAddress(), status, reason);
        write(transport, ServerHandshake.refusalBytes(status, reason, new HeaderFields()));
    }

    /** The body's bytes: the leftover, then reads until {@code length}; null at a premature end of stream. */
    private static byte[] readBody(Transport transport, ByteBuffer leftover, int length) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(length);
        ByteBuffer first = leftover.slice();
        first.limit(Math.min(first.remaining(), length));
        body.put(first);
        while (body.hasRemaining()) {
            if (transport.read(body) < 0) {
                return null;
            }
        }
        return body.array();
    }

    /** RFC 7230 §3.3.2: one decimal value, or several identical ones; -1 if malformed. */
    static long contentLength(List<String> values) {
        String first = null;
        for (String value : String.join(",", values).split(",", -1)) {
            String v = value.strip();
            if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (first != null && !first.equals(v))) {
                return -1;
            }
            first = v;
        }
        return first == null ? -1 : Long.parseLong(first);
    }

    /** A response with the server's framing: {@code Content-Length} and {@code Connection: close}. */
    static ByteBuffer render(HttpResponse response, boolean headOnly) {
        byte[] body = response.rawBody();
        HeaderFields headers = response.rawHeaders().mutableCopy()
                .set(CONTENT_LENGTH, Integer.toString(body.length))
                .set(CONNECTION, "close");
        int status = response.status();
        return HttpHeadWriter.response(new HttpResponseHead("HTTP/1.1", status, HttpHeadWriter.reasonPhrase(status), headers),
                headOnly ? new byte[0] : body);
    }

    /** Writes all of {@code bytes}, blocking (the handshake deadline bounds it). */
    static void write(Transport transport, ByteBuffer bytes) throws IOException {
        ByteBuffer[] one = {bytes};
        while (bytes.hasRemaining()) {
            transport.write(one, 0, 1);
        }
    }
}
