package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client rows of the root README's "Limits and defaults" (the one place defaults are
 * written down) name real settings with the values the code uses. The connection table is
 * checked by the server module's test of the same name.
 */
class DefaultsTableTest {

    private static final Path README = Path.of(System.getProperty("basedir", "."), "..", "README.md");

    @Test
    void theClientTableMatchesClientConfigAndReconnectPolicyDefaults() throws Exception {
        ClientConfig config = ClientConfig.defaults();
        ReconnectPolicy policy = ReconnectPolicy.defaults();
        Map<String, String> code = new LinkedHashMap<>();
        code.put("connectTimeout", format(config.connectTimeout()));
        code.put("reconnect", config.reconnect().isEnabled() ? "enabled" : "disabled");
        code.put("initialDelay", format(policy.initialDelay()));
        code.put("maxDelay", format(policy.maxDelay()));
        code.put("multiplier", String.valueOf(policy.multiplier()));
        code.put("jitter", String.valueOf(policy.jitter()));
        code.put("maxAttempts", policy.maxAttempts() == Integer.MAX_VALUE ? "unlimited"
                : String.format(Locale.ROOT, "%,d", policy.maxAttempts()));
        assertEquals(code, clientTable());
    }

    private static String format(Duration d) {
        return d.isZero() ? "off" : d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Setting name to the default as written, from the first table after the "### Client" heading. */
    private static Map<String, String> clientTable() throws Exception {
        List<String> lines = Files.readAllLines(README);
        int at = 0;
        while (!lines.get(at).startsWith("### Client")) {
            at++;
        }
        while (!lines.get(at).startsWith("|")) {
            at++;
        }
        Map<String, String> rows = new LinkedHashMap<>();
        for (at += 2; at < lines.size() && lines.get(at).startsWith("|"); at++) {
            String[] cells = lines.get(at).split("\\|");
            rows.put(cells[1].strip().replace("`", ""), cells[2].strip());
        }
        return rows;
    }
}
