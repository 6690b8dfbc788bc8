package dev.leanws.testing;

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
 * peer: whole messages and events go into a queue that tests poll with a deadline. The JDK
 * client delivers nothing unless asked, so every callback requests one more. Shared by the
 * server's and the demo's tests.
 *
 * <pre>{@code
 * try (JdkClient client = JdkClient.open(server.port(), "chat.v1")) {
 *     client.send("hello");
 *     assertEquals("hello", client.nextText());
 * }
 * }</pre>
 */
public final class JdkClient implements WebSocket.Listener, AutoCloseable {

    /** A ping from the server (the JDK answers it itself). */
    public record Ping(String payload) {
    }

    /** A pong from the server. */
    public record Pong(String payload) {
    }

    /** The server's Close frame. */
    public record Closed(int code, String reason) {
    }

    private static final long WAIT_SECONDS = 30;

    private final HttpClient http;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final boolean queueControlFrames;
    private StringBuilder text = new StringBuilder();
    private ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket webSocket;

    /** A client that queues pings and pongs as {@link Ping} and {@link Pong} among the messages. */
    public JdkClient() {
        this(true);
    }

    private JdkClient(boolean queueControlFrames) {
        this(queueControlFrames, HttpClient.newHttpClient());
    }

    private JdkClient(boolean queueControlFrames, HttpClient http) {
        this.queueControlFrames = queueControlFrames;
        this.http = http;
    }

    /** A client for {@code wss://} that trusts what {@code tls} trusts (and shows its client certificate). */
    public static JdkClient withTls(javax.net.ssl.SSLContext tls) {
        return new JdkClient(false, HttpClient.newBuilder().sslContext(tls).build());
    }

    /**
     * Connects to {@code ws://127.0.0.1:port/}, offering {@code subprotocols}; for tests of whole
     * messages: pings and pongs are not queued.
     */
    public static JdkClient open(int port, String... subprotocols) throws Exception {
        JdkClient client = new JdkClient(false);
        try {
            client.connect(port, "/", subprotocols);
            return client;
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    /** Connects to {@code ws://127.0.0.1:port/path}, offering {@code subprotocols}. */
    public WebSocket connect(int port, String path, String... subprotocols) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        webSocket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + path), this).get(10, TimeUnit.SECONDS);
        return webSocket;
    }

    /** Connects to a full {@code ws://} URI. */
    public WebSocket connectTo(String uri) throws Exception {
        webSocket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(uri), this).get(10, TimeUnit.SECONDS);
        return webSocket;
    }

    /** The JDK's WebSocket, once connected. */
    public WebSocket socket() {
        return webSocket;
    }

    /** Sends a text message and waits until the JDK has written it. */
    public JdkClient send(String message) throws Exception {
        webSocket.sendText(message, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** Sends a binary message and waits until the JDK has written it. */
    public JdkClient send(byte[] message) throws Exception {
        webSocket.sendBinary(ByteBuffer.wrap(message), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** The next text message, within 30 s. */
    public String nextText() throws InterruptedException {
        return next(String.class);
    }

    /** The next whole message or event, which must be of this type, within 30 s. */
    public <T> T next(Class<T> type) throws InterruptedException {
        Object o = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT_SECONDS + " s");
        }
        if (!type.isInstance(o)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + describe(o));
        }
        return type.cast(o);
    }

    /** Whatever arrived and was not taken yet, waiting at most {@code millis} (to check that nothing else came). */
    public Object poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
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
        if (queueControlFrames) {
            received.add(new Ping(StandardCharsets.UTF_8.decode(message).toString()));
        }
        ws.request(1);
        return null;   // the JDK client answers the ping itself
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        if (queueControlFrames) {
            received.add(new Pong(StandardCharsets.UTF_8.decode(message).toString()));
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        received.add(new Closed(statusCode, reason));
        return null;   // the JDK echoes the close at once
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
