package dev.leanws.demo;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own WebSocket client ({@code java.net.http}) as the demos' test peer: whole messages
 * and the close go into a queue that tests poll with a deadline. Pings are answered by the JDK.
 */
final class JdkClient implements WebSocket.Listener, AutoCloseable {

    /** The server's Close frame. */
    record Closed(int code, String reason) {
    }

    private static final long WAIT_SECONDS = 10;

    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private StringBuilder text = new StringBuilder();
    private ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket webSocket;

    /** Connects to {@code ws://127.0.0.1:port/}, offering {@code subprotocols}. */
    static JdkClient connect(int port, String... subprotocols) throws Exception {
        JdkClient client = new JdkClient();
        try {
            WebSocket.Builder builder = client.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
            if (subprotocols.length > 0) {
                builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
            }
            client.webSocket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), client)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            return client;
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    WebSocket socket() {
        return webSocket;
    }

    /** Sends a text message and waits until the JDK has written it. */
    JdkClient send(String message) throws Exception {
        webSocket.sendText(message, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** Sends a binary message and waits until the JDK has written it. */
    JdkClient send(byte[] message) throws Exception {
        webSocket.sendBinary(ByteBuffer.wrap(message), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** The next text message, within 10 s. */
    String nextText() throws InterruptedException {
        return next(String.class);
    }

    /** The next message or close, which must be of this type, within 10 s. */
    <T> T next(Class<T> type) throws InterruptedException {
        Object o = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT_SECONDS + " s");
        }
        if (!type.isInstance(o)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got "
                    + (o instanceof byte[] b ? "binary of " + b.length + " bytes" : o));
        }
        return type.cast(o);
    }

    /** Whatever arrived and was not taken yet (for checking that nothing else came). */
    Object poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
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
