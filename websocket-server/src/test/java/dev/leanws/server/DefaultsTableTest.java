package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.WebSocketConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The root README's "Limits and defaults" tables are the only place the defaults are written
 * down: every row must name a real setting with the value the code uses, and every setting must
 * have a row. (The client's table is checked by the client module's test of the same name.)
 */
class DefaultsTableTest {

    private static final Path README = Path.of(System.getProperty("basedir", "."), "..", "README.md");

    @Test
    void theConnectionTableMatchesWebSocketConfigDefaults() throws Exception {
        Map<String, String> rows = table("### Per connection");
        Map<String, String> code = new LinkedHashMap<>();
        for (RecordComponent c : WebSocketConfig.class.getRecordComponents()) {
            code.put(c.getName(), format(c.getName(), c.getAccessor().invoke(WebSocketConfig.defaults())));
        }
        assertEquals(code, rows);
    }

    @Test
    void theServerTableMatchesTheBuilderDefaults() throws Exception {
        ServerConfig config = WebSocketServer.builder().build().config();
        Map<String, String> code = new LinkedHashMap<>();
        for (String name : List.of("host", "port", "backlog", "reuseAddress", "maxConnections", "maxHttpBodySize")) {
            code.put(name, format(name, ServerConfig.class.getDeclaredMethod(name).invoke(config)));
        }
        code.put("maxPendingHandshakes", format("", config.admission().maxPending()));
        code.put("maxPendingHandshakesPerAddress", format("", config.admission().maxPendingPerAddress()));
        assertEquals(Runtime.getRuntime().maxMemory() / 4, config.memory().limit());
        code.put("memoryBudget", "max heap / 4");
        assertEquals(code, table("### Server"));
    }

    /** The rows of the first table after {@code heading}: setting name to the default as written. */
    static Map<String, String> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(README);
        int at = 0;
        while (!lines.get(at).startsWith(heading)) {
            at++;
        }
        while (!lines.get(at).startsWith("|")) {
            at++;
        }
        Map<String, String> rows = new LinkedHashMap<>();
        for (at += 2; at < lines.size() && lines.get(at).startsWith("|"); at++) {
            String[] cells = lines.get(at).split("\\|");
            String name = cells[1].strip();
            assertTrue(name.startsWith("`") && name.endsWith("`"), "a setting name in backticks: " + lines.get(at));
            rows.put(name.substring(1, name.length() - 1), cells[2].strip());
        }
        return rows;
    }

    /** A default as the README writes it: 16 MiB, 10 s, off, 10,000, BLOCK. */
    static String format(String name, Object value) {
        if (value instanceof Duration d) {
            return d.isZero() ? "off" : d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
        if (value instanceof Number n && (name.endsWith("Size") || name.endsWith("Bytes"))) {
            long bytes = n.longValue();
            return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
        }
        if (value instanceof Integer i) {
            return i == Integer.MAX_VALUE ? "unlimited" : String.format(java.util.Locale.ROOT, "%,d", i);
        }
        return String.valueOf(value);
    }
}
