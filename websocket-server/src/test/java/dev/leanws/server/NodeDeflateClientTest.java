package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.DeflateConfig;
import dev.leanws.event.EventFilter;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Node's {@code ws} client with permessage-deflate against our server: the client module's
 * {@code src/test/node/deflate-client.js} sends text and binary of many sizes (one message
 * fragmented, one uncompressed on the compressed connection) and checks every echo. zlib on
 * the ws side inflates with the window it was promised, so a server match reaching past
 * {@code server_max_window_bits} fails there. Skipped where node or ws is missing.
 */
@Timeout(60)
class NodeDeflateClientTest {

    private static final Path NODE_DIR = Path.of(System.getProperty("basedir", "."), "..", "websocket-client", "src",
            "test", "node");

    @ParameterizedTest(name = "[{index}] ws offers {0}, server {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"threshold":0}                                                       | defaults | permessage-deflate
            {"threshold":0,"serverMaxWindowBits":9,"clientMaxWindowBits":10}      | defaults | permessage-deflate; server_max_window_bits=9; client_max_window_bits=10
            {"threshold":0,"serverMaxWindowBits":8}                               | defaults | permessage-deflate; server_max_window_bits=8
            {"threshold":0,"serverNoContextTakeover":true,"clientNoContextTakeover":true} | defaults | permessage-deflate; server_no_context_takeover; client_no_context_takeover
            {"threshold":0}                                                       | small    | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=9
            {"threshold":0}                                                       | off      | (none)
            """)
    void nodeClientEchoesThroughOurServer(String wsOptions, String ours, String agreed) throws Exception {
        String node = findNode();
        Assumptions.assumeTrue(node != null, "node not found on PATH");
        Assumptions.assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("ws")),
                "Node's ws is not installed; run scripts/install-test-deps.sh");
        DeflateConfig deflate = switch (ours) {
            case "defaults" -> DeflateConfig.builder().threshold(0).build();
            case "small" -> DeflateConfig.builder().threshold(0).serverNoContextTakeover(true).clientNoContextTakeover(true)
                    .serverMaxWindowBits(10).clientMaxWindowBits(9).build();
            case "off" -> DeflateConfig.disabled();
            default -> throw new IllegalArgumentException(ours);
        };
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        WebSocketServer server = WebSocketServer.builder().port(0).config(ServerTestSupport.QUIET).deflate(deflate).build();
        server.events().subscribe(EventFilter.opens(), e -> seen.add(e.connection().extensions()));
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        server.events().subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
        server.start();
        Process p = null;
        try {
            p = new ProcessBuilder(node, "deflate-client.js", "ws://127.0.0.1:" + server.port() + "/x", wsOptions)
                    .directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("deflate-client.js did not finish within 30 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("\nok\n"), out);
            assertTrue(out.startsWith("extensions " + (agreed.equals("(none)") ? "(none)" : "permessage-deflate")), out);
            assertEquals(List.of(agreed.equals("(none)") ? List.of() : List.of(agreed)), seen);
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();   // the PID we started
            }
            server.stop(java.time.Duration.ofSeconds(5));
        }
    }

    private static String findNode() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
