package dev.leanws.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Chrome DevTools Protocol connection over the JDK's own WebSocket client: commands with
 * their answers (each awaited with a deadline), and the events the browser sends, kept for
 * later checks. Pages are driven through flat sessions ({@code Target.attachToTarget} with
 * {@code flatten}), so one WebSocket serves every page.
 */
final class DevTools implements WebSocket.Listener, AutoCloseable {

    /** An event: its method, its params, and the session (page) it came from, or null. */
    record Event(String method, Map<String, Object> params, String sessionId) {
    }

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final ReentrantLock sending = new ReentrantLock();   // the JDK client allows one send at a time
    private StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static DevTools connect(URI browserEndpoint) throws Exception {
        DevTools devTools = new DevTools();
        devTools.socket = devTools.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(browserEndpoint, devTools).get(10, TimeUnit.SECONDS);
        return devTools;
    }

    /** Sends a command to a page's session (to the browser when {@code sessionId} is null); returns its result. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String sessionId, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        Map<String, Object> command = new HashMap<>(Map.of("id", id, "method", method, "params", params));
        if (sessionId != null) {
            command.put("sessionId", sessionId);
        }
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        sending.lock();
        try {
            socket.sendText(MiniJson.write(command), true).get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            sending.unlock();
        }
        Map<String, Object> response;
        try {
            response = answer.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer to " + method + " within " + ANSWER_TIMEOUT);
        } finally {
            pending.remove(id);
        }
        if (response.get("error") != null) {
            throw new AssertionError(method + " failed: " + MiniJson.write(response.get("error")));
        }
        return (Map<String, Object>) response.get("result");
    }

    /** Every event received so far. */
    List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public void onOpen(WebSocket ws) {
        ws.request(1);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            Map<String, Object> message = (Map<String, Object>) MiniJson.parse(partial.toString());
            partial = new StringBuilder();
            if (message.get("id") instanceof Double id) {
                CompletableFuture<Map<String, Object>> answer = pending.get(id.intValue());
                if (answer != null) {
                    answer.complete(message);
                }
            } else {
                events.add(new Event((String) message.get("method"), (Map<String, Object>) message.get("params"),
                        (String) message.get("sessionId")));
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        pending.values().forEach(answer -> answer.completeExceptionally(error));
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        pending.values().forEach(answer -> answer.completeExceptionally(
                new IllegalStateException("DevTools connection closed: " + statusCode + " " + reason)));
        return null;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        http.shutdownNow();
    }
}
