package dev.leanws.client;

import dev.leanws.HandshakeException;
import dev.leanws.handshake.ClientHandshake;
import dev.leanws.handshake.HandshakeResult.Accepted;
import dev.leanws.http.internal.HttpHeadParser;
import dev.leanws.http.internal.HttpParseException;
import dev.leanws.http.internal.HttpRequestHead;
import dev.leanws.http.internal.HttpResponseHead;
import dev.leanws.runtime.Transport;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client's opening handshake over a connected transport (RFC 6455 §4.1): write the
 * request, read the response head with the bounded incremental parser, validate it. Whatever
 * the server sent behind its 101 (frames may share the packet) is handed on as the leftover,
 * to be decoded before anything else.
 */
final class OpeningHandshake {

    /** What a successful handshake leaves: the transport, our request, what was agreed, and bytes read past the head. */
    record Established(Transport transport, HttpRequestHead request, Accepted accepted, ByteBuffer leftover) {
    }

    private static final int READ_BUFFER = 4096;
    private static final int MAX_HEADERS = 100;
    /** How much of a refusal's body is kept for {@link HandshakeException#body()}. */
    private static final int MAX_BODY = 4096;

    private OpeningHandshake() {
    }

    /**
     * Runs the handshake. Deadlines are the caller's: it closes the transport to end a blocked read.
     *
     * @throws HandshakeException for a refusal (any status but 101) or an invalid 101
     * @throws ProtocolException  for a response head that is not valid HTTP/1.1 or too large
     * @throws EOFException       if the server closed the connection before the end of the head
     */
    static Established perform(ClientHandshake handshake, Transport transport, int maxHeadBytes) throws IOException {
        ByteBuffer request = handshake.requestBytes();
        ByteBuffer[] srcs = {request};
        while (request.hasRemaining()) {
            transport.write(srcs, 0, 1);
        }
        HttpHeadParser parser = new HttpHeadParser(maxHeadBytes, MAX_HEADERS);
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        try {
            while (true) {
                if (transport.read(buffer) < 0) {
                    throw new EOFException("the server closed the connection " + (parser.consumedBytes() == 0
                            ? "without answering the opening handshake"
                            : "in the middle of its handshake response, after " + parser.consumedBytes() + " bytes"));
                }
                buffer.flip();
                if (parser.feed(buffer)) {
                    break;
                }
                buffer.clear();   // the parser took every byte: the head is not over yet
            }
            HttpResponseHead response = parser.response();
            if (!"HTTP/1.1".equals(response.version())) {
                // RFC 6455 §4.1: the upgrade is HTTP/1.1's; an HTTP/1.0 (or 1.x) "101" is no WebSocket.
                throw new ProtocolException("expected an HTTP/1.1 response, got " + response.version() + " "
                        + response.status());
            }
            Accepted accepted;
            try {
                accepted = handshake.validate(response);
            } catch (HandshakeException refused) {
                if (response.status() == 101) {
                    throw refused;
                }
                throw refused.withBody(readBody(response, buffer, transport));
            }
            ByteBuffer leftover = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
            return new Established(transport, handshake.request(), accepted, leftover);
        } catch (HttpParseException e) {
            ProtocolException malformed = new ProtocolException("malformed handshake response: " + e.getMessage());
            malformed.initCause(e);
            throw malformed;
        }
    }

    /**
     * Reads the start of a refusal's body (servers explain themselves there), at most
     * {@link #MAX_BODY} bytes of its {@code Content-Length}; without a length only what already
     * arrived. Bounded by the caller's handshake deadline like every other read here.
     */
    private static String readBody(HttpResponseHead response, ByteBuffer buffer, Transport transport) {
        long declared;
        try {
            declared = Long.parseLong(response.headers().first("Content-Length").orElse("-1").trim());
        } catch (NumberFormatException e) {
            declared = -1;
        }
        int wanted = (int) Math.min(MAX_BODY, declared < 0 ? buffer.remaining() : declared);
        ByteBuffer body = ByteBuffer.allocate(wanted);
        while (body.hasRemaining() && buffer.hasRemaining()) {
            body.put(buffer.get());
        }
        try {
            while (body.hasRemaining() && transport.read(body) >= 0) {
                // keep reading until the body we want is in
            }
        } catch (IOException e) {
            // the refusal matters more than its body: keep what arrived
        }
        return new String(body.array(), 0, body.position(), StandardCharsets.UTF_8);
    }
}
