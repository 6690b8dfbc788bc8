package dev.leanws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus text exposition 0.0.4: HELP and TYPE once per family, before its samples; escaped labels. */
class PrometheusTextTest {

    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? -?[0-9]+");

    static WebSocketMetrics sample(long memoryLimit) {
        return new WebSocketMetrics(2, 7, 7, Map.of(503, 1L, 400, 2L), new WebSocketMetrics.Traffic(10, 3, 900),
                new WebSocketMetrics.Traffic(11, 0, 700), Map.of(CloseCause.PEER_CLOSE, 4L, CloseCause.SLOW_CONSUMER, 1L),
                Map.of(1000, 4L, 1008, 1L), 300, 200, memoryLimit < 0 ? -1 : 5, memoryLimit, 2, 9);
    }

    @Test
    void everyFamilyHasHelpAndTypeBeforeItsSamplesAndEverySampleParses() {
        String text = sample(-1).toPrometheus();
        assertTrue(text.endsWith("\n"));
        Set<String> declared = new HashSet<>();
        String family = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                family = line.split(" ")[2];
                assertTrue(declared.add(family), "HELP twice for " + family);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertEquals(family, parts[2], "TYPE right after its HELP");
                assertTrue(Set.of("counter", "gauge").contains(parts[3]), line);
                assertEquals(parts[3].equals("counter"), family.endsWith("_total"), line);
            } else {
                assertTrue(SAMPLE.matcher(line).matches(), line);
                assertTrue(line.startsWith(family + " ") || line.startsWith(family + "{"), line + " outside " + family);
            }
        }
    }

    @Test
    void writesTheSnapshotsValues() {
        String text = sample(-1).toPrometheus();
        List<String> expected = new ArrayList<>(List.of(
                "websocket_connections_open 2",
                "websocket_connections_total 7",
                "websocket_handshakes_total{outcome=\"accepted\",status=\"101\"} 7",
                "websocket_handshakes_total{outcome=\"refused\",status=\"400\"} 2",
                "websocket_handshakes_total{outcome=\"refused\",status=\"503\"} 1",
                "websocket_messages_received_total{type=\"text\"} 10",
                "websocket_messages_received_total{type=\"binary\"} 3",
                "websocket_data_received_bytes_total 900",
                "websocket_data_sent_bytes_total 700",
                "websocket_closes_total{cause=\"peer_close\"} 4",
                "websocket_closes_total{cause=\"slow_consumer\"} 1",
                "websocket_closes_total{cause=\"pong_timeout\"} 0",
                "websocket_close_codes_total{code=\"1008\"} 1",
                "websocket_outbound_queued_bytes 300",
                "websocket_outbound_queued_max_bytes 200",
                "websocket_publishes_total 2",
                "websocket_publish_deliveries_total 9"));
        List<String> lines = List.of(text.split("\n"));
        for (String line : expected) {
            assertTrue(lines.contains(line), line + " in\n" + text);
        }
        assertFalse(text.contains("websocket_memory"), "no budget, no memory gauges");
        assertTrue(sample(1 << 20).toPrometheus().contains("\nwebsocket_memory_limit_bytes 1048576\n"));
    }

    @Test
    void escapesLabelValuesAndChecksLabelNames() {
        String text = PrometheusText.format(sample(-1), Map.of("server", "a\"b\\c\nd", "app", "chat"));
        assertTrue(text.contains("\nwebsocket_connections_open{app=\"chat\",server=\"a\\\"b\\\\c\\nd\"} 2\n"), text);
        assertTrue(text.contains("\nwebsocket_closes_total{app=\"chat\",server=\"a\\\"b\\\\c\\nd\",cause=\"peer_close\"} 4\n"), text);
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.format(sample(-1), Map.of("1x", "v")));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.format(sample(-1), Map.of("__name__", "v")));
        assertEquals("a\\\\b\\nc \"d\"", PrometheusText.escapeHelp("a\\b\nc \"d\""));
    }

    @Test
    void snapshotHelpers() {
        WebSocketMetrics m = sample(-1);
        assertEquals(3, m.handshakesRefusedTotal());
        assertEquals(5, m.closes());
        assertEquals(1, m.slowConsumerCloses());
        assertEquals(WebSocketMetrics.DEADLINE_CAUSES, m.deadlineDrops().keySet());
        assertEquals(0L, m.closesByCause().get(CloseCause.IO_ERROR), "every cause present");
        assertEquals(List.of(400, 503), List.copyOf(m.handshakesRefused().keySet()), "statuses in order");
        assertTrue(m.summary().startsWith("open=2 opened=7 msgs in/out=13/11"), m.summary());
    }
}
