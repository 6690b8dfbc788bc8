package dev.leanws.server;

import dev.leanws.event.EventFilter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The server that {@link HeapExhaustionTest} forks with a small heap: an echo server with every
 * default (the {@code echo} demo's setup), whose parent drives it over stdin and stdout.
 * Prints {@code PORT n} once listening; answers {@code stats} with
 * {@code STATS heapUsedAfterGc budgetUsed budgetLimit}; exits 0 when stdin ends, 70 if a fatal
 * error stopped the server.
 */
public final class HostileServerMain {

    private HostileServerMain() {
    }

    public static void main(String[] args) throws Exception {
        WebSocketServer server = WebSocketServer.builder()
                .onFatalError(e -> System.exit(70))
                .build();
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        server.events().subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
        server.start();
        System.out.println("PORT " + server.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("stats")) {
                System.gc();
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                System.out.println("STATS " + heap.getUsed() + " " + server.memory().used() + " " + server.memory().limit());
                System.out.flush();
            }
        }
        server.stop(Duration.ofSeconds(1));
        System.exit(server.failure().isPresent() ? 70 : 0);
    }
}
