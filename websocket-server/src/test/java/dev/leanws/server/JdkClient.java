package dev.leanws.server;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own WebSocket client ({@code java.net.http}), which no one here wrote, as a test
 * peer: whole messages and control events go into a queue that tests poll with a deadline.
 * The JDK client delivers nothing unless asked, so every callback requests one more.
 */
final class JdkClient implements WebSocket.Listener, AutoCloseable {

    record Ping(String payload) {
    }

    record Pong(String payload) {
    }

    record Closed(int code, String reason) {
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private StringBuilder text = new StringBuilder();
    private ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket webSocket;

    /** Connects to {@code ws://127.0.0.1:port/path}, offering {@code subprotocols}. */
    WebSocket connect(int port, String path, String... subprotocols) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        webSocket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + path), this).get(10, TimeUnit.SECONDS);
        return webSocket;
    }

    /** Connects to a full {@code ws://} URI. */
    WebSocket connectTo(String uri) throws Exception {
        webSocket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(uri), this).get(10, TimeUnit.SECONDS);
        return webSocket;
    }

    /** The next whole message or event, which must be of this type, within 30 s. */
    <T> T next(Class<T> type) throws InterruptedException {
        Object o = received.poll(30, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("no " + type.getSimpleName() + " within 30 s");
        }
        if (!type.isInstance(o)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + describe(o));
        }
        return type.cast(o);
    }

    private static String describe(Object o) {
        return o instanceof String s && s.length() > 100 ? "text of " + s.length() + " chars"
                : o instanceof byte[] b ? "binary of " + b.length + " bytes" : String.valueOf(o);
    }

    @Override
    public void onOpen(WebSocket ws) {
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            received.add(text.toString());
            text = new StringBuilder();
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            received.add(binary.toByteArray());
            binary = new ByteArrayOutputStream();
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        received.add(new Ping(StandardCharsets.UTF_8.decode(message).toString()));
        ws.request(1);
        return null;   // the JDK client answers the ping itself
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        received.add(new Pong(StandardCharsets.UTF_8.decode(message).toString()));
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        received.add(new Closed(statusCode, reason));
        return null;   // echo the close at once
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        received.add(error);
    }

    @Override
    public void close() {
        if (webSocket != null) {
            webSocket.abort();
        }
        http.shutdownNow();
    }
}
