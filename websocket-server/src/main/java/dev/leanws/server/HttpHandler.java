package dev.leanws.server;

import dev.leanws.http.HttpRequest;

/**
 * Answers HTTP requests that are not WebSocket upgrades, so one port can serve a page and its
 * WebSocket (the chat demo serves its HTML this way). Simple request/response: the server
 * reads the request (with a {@code Content-Length} body up to
 * {@link WebSocketServer.Builder#maxHttpBodySize(int)}), calls the handler on the
 * connection's virtual thread (blocking is fine), writes the response and closes the TCP
 * connection.
 *
 * <pre>{@code
 * byte[] page = ...;
 * WebSocketServer.builder()
 *         .httpHandler(request -> request.path().equals("/")
 *                 ? HttpResponse.of(200, "text/html; charset=utf-8", page)
 *                 : null)   // null: 404
 *         .build();
 * }</pre>
 *
 * <p>Returning {@code null} answers 404. A handler that throws is logged at WARN and the
 * client gets 500; the server keeps serving. Without a handler every plain request gets 404.
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * @param request the request, with its body ({@link HttpRequest#body()})
     * @return the response, or {@code null} for 404 Not Found
     * @throws Exception answered with 500 Internal Server Error
     */
    HttpResponse handle(HttpRequest request) throws Exception;
}
