package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leanws.event.EventFilter;
import dev.leanws.testing.TestPki;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Node's {@code ws} client (over Node's TLS, OpenSSL, host name verification on) against our
 * server over {@code wss://}. It uses the client module's Node install; skipped with the reason
 * where node or the module is missing (scripts/install-test-deps.sh installs it).
 */
@Timeout(60)
class NodeTlsClientTest extends ServerTestSupport {

    private static final Path NODE_DIR = Path.of(System.getProperty("basedir", "."))
            .resolve("../websocket-client/src/test/node").normalize();

    @Test
    void nodesWsClientEchoesOverTls() throws Exception {
        String node = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "node"))) {
                node = Path.of(dir, "node").toString();
            }
        }
        Assumptions.assumeTrue(node != null, "node not found on PATH");
        Assumptions.assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/ws")),
                "Node's ws is not installed in " + NODE_DIR + "; run scripts/install-test-deps.sh");
        TestPki pki = TestPki.get();
        WebSocketServer server = start(b -> b.tls(TlsConfig.pem(pki.serverEc().chain(), pki.serverEc().key())));
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        Process p = new ProcessBuilder(node, "tls-client.js", "wss://localhost:" + server.port() + "/",
                pki.caPem().toString(), "one", "two", "κόσμε").directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(true, p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(List.of("echo one", "echo two", "echo κόσμε", "closed 1000"), output.lines().toList(), output);
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }
}
