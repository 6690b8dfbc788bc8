package dev.leanws.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.event.EventFilter;
import dev.leanws.testing.JdkClient;
import dev.leanws.server.WebSocketServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 11: a server that a fatal error stopped makes the demo exit non-zero, for its supervisor. */
@Timeout(60)
class FatalExitTest {

    @Test
    void aServerStoppedByOutOfMemoryExitsWith70AndAStoppedOneWith0() throws Exception {
        WebSocketServer failing = WebSocketServer.builder().build();
        failing.events().subscribe(EventFilter.textMessages(), e -> {
            throw new OutOfMemoryError("injected in a handler");
        });
        failing.start();
        try (JdkClient client = JdkClient.open(failing.port())) {
            client.send("boom");
            assertTrue(failing.awaitStop(Duration.ofSeconds(20)));
        }
        assertEquals(70, Main.exitStatus(failing));

        WebSocketServer stopped = WebSocketServer.builder().build().start();
        stopped.close();
        assertEquals(0, Main.exitStatus(stopped));
    }
}
