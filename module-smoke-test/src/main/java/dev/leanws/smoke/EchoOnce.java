package dev.leanws.smoke;

import dev.leanws.client.ClientConfig;
import dev.leanws.client.WebSocketClient;
import dev.leanws.event.EventFilter;
import dev.leanws.server.WebSocketServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts an echo server on 127.0.0.1 (an ephemeral port), connects a client, sends one text
 * message and returns the echo: the shortest use of both modules, through their exported API only.
 */
public final class EchoOnce {

    private EchoOnce() {
    }

    /** The echo of {@code text}, within 10 s. */
    public static String echo(String text) throws Exception {
        WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).build().start();
        try {
            server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
            CompletableFuture<String> echoed = new CompletableFuture<>();
            ClientConfig config = ClientConfig.builder()
                    .subscribe(EventFilter.textMessages(), e -> echoed.complete(e.text()))
                    .build();
            try (WebSocketClient client = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), config)) {
                client.sendAsync(text).get(10, TimeUnit.SECONDS);
                return echoed.get(10, TimeUnit.SECONDS);
            }
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(echo(args.length > 0 ? args[0] : "hello"));
    }
}
