package dev.leanws;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes a {@link WebSocketMetrics} snapshot in the Prometheus text exposition format, version
 * 0.0.4, without any metrics library. The metric names are the ones the
 * {@code websocket-micrometer} binding produces through Micrometer's Prometheus registry, so a
 * dashboard works with either.
 *
 * <pre>{@code
 * // on the server's plain HTTP side: GET /metrics
 * .httpHandler(request -> request.path().equals("/metrics")
 *         ? HttpResponse.of(200, PrometheusText.CONTENT_TYPE, server.metrics().toPrometheusBytes())
 *         : null)
 * // several servers in one process: tell them apart with a label
 * String text = PrometheusText.format(chat.metrics(), Map.of("server", "chat"));
 * }</pre>
 *
 * <table>
 *   <caption>Metric families</caption>
 *   <tr><th>name</th><th>type</th><th>labels</th></tr>
 *   <tr><td>websocket_connections_open</td><td>gauge</td><td></td></tr>
 *   <tr><td>websocket_connections_total</td><td>counter</td><td></td></tr>
 *   <tr><td>websocket_handshakes_total</td><td>counter</td><td>outcome, status</td></tr>
 *   <tr><td>websocket_messages_received_total, websocket_messages_sent_total</td><td>counter</td><td>type</td></tr>
 *   <tr><td>websocket_data_received_bytes_total, websocket_data_sent_bytes_total</td><td>counter</td><td></td></tr>
 *   <tr><td>websocket_closes_total</td><td>counter</td><td>cause</td></tr>
 *   <tr><td>websocket_close_codes_total</td><td>counter</td><td>code</td></tr>
 *   <tr><td>websocket_outbound_queued_bytes, websocket_outbound_queued_max_bytes</td><td>gauge</td><td></td></tr>
 *   <tr><td>websocket_memory_used_bytes, websocket_memory_limit_bytes</td><td>gauge</td><td>(only with a budget)</td></tr>
 *   <tr><td>websocket_publishes_total, websocket_publish_deliveries_total</td><td>counter</td><td></td></tr>
 * </table>
 */
public final class PrometheusText {

    /** The {@code Content-Type} of the exposition. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final StringBuilder out = new StringBuilder(4096);
    private final String constantLabels;

    private PrometheusText(String constantLabels) {
        this.constantLabels = constantLabels;
    }

    /**
     * The snapshot as exposition text.
     *
     * @param labels added to every sample, e.g. {@code Map.of("server", "chat")}; values are
     *               escaped as the format requires
     * @throws IllegalArgumentException if a label name is not a valid Prometheus label name
     */
    public static String format(WebSocketMetrics m, Map<String, String> labels) {
        Objects.requireNonNull(m, "metrics");
        StringBuilder constant = new StringBuilder();
        new TreeMap<>(labels).forEach((name, value) -> {
            if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
                throw new IllegalArgumentException("not a Prometheus label name: " + name);
            }
            constant.append(constant.isEmpty() ? "" : ",").append(name).append("=\"").append(escapeLabel(value)).append('"');
        });
        PrometheusText p = new PrometheusText(constant.toString());
        p.family("websocket_connections_open", "gauge", "WebSocket connections open now.")
                .sample("websocket_connections_open", "", m.connectionsOpen());
        p.family("websocket_connections_total", "counter", "WebSocket connections opened.")
                .sample("websocket_connections_total", "", m.connectionsOpened());
        p.family("websocket_handshakes_total", "counter", "Opening handshakes answered, by outcome and HTTP status.")
                .sample("websocket_handshakes_total", "outcome=\"accepted\",status=\"101\"", m.handshakesAccepted());
        m.handshakesRefused().forEach((status, n) ->
                p.sample("websocket_handshakes_total", "outcome=\"refused\",status=\"" + status + "\"", n));
        p.traffic("received", m.received());
        p.traffic("sent", m.sent());
        p.family("websocket_closes_total", "counter", "Closed WebSocket connections, by cause.");
        m.closesByCause().forEach((cause, n) ->
                p.sample("websocket_closes_total", "cause=\"" + cause.name().toLowerCase(Locale.ROOT) + "\"", n));
        p.family("websocket_close_codes_total", "counter", "Closed WebSocket connections, by close code (1006: no closing handshake).");
        m.closesByCode().forEach((code, n) -> p.sample("websocket_close_codes_total", "code=\"" + code + "\"", n));
        p.family("websocket_outbound_queued_bytes", "gauge", "Bytes queued outbound, summed over open connections.")
                .sample("websocket_outbound_queued_bytes", "", m.outboundQueuedBytes());
        p.family("websocket_outbound_queued_max_bytes", "gauge", "Most bytes queued outbound on one open connection.")
                .sample("websocket_outbound_queued_max_bytes", "", m.outboundQueuedMaxBytes());
        if (m.memoryLimitBytes() >= 0) {
            p.family("websocket_memory_used_bytes", "gauge", "Bytes held against the server-wide memory budget.")
                    .sample("websocket_memory_used_bytes", "", m.memoryUsedBytes());
            p.family("websocket_memory_limit_bytes", "gauge", "Size of the server-wide memory budget.")
                    .sample("websocket_memory_limit_bytes", "", m.memoryLimitBytes());
        }
        p.family("websocket_publishes_total", "counter", "Broadcasts and topic publishes.")
                .sample("websocket_publishes_total", "", m.publishes());
        p.family("websocket_publish_deliveries_total", "counter", "Connections that queued a broadcast or published message.")
                .sample("websocket_publish_deliveries_total", "", m.publishDeliveries());
        return p.out.toString();
    }

    private void traffic(String direction, WebSocketMetrics.Traffic t) {
        String messages = "websocket_messages_" + direction + "_total";
        family(messages, "counter", "WebSocket messages " + direction + ", by type.");
        sample(messages, "type=\"text\"", t.textMessages());
        sample(messages, "type=\"binary\"", t.binaryMessages());
        String bytes = "websocket_data_" + direction + "_bytes_total";
        family(bytes, "counter", "Bytes " + direction + " on WebSocket streams (frame headers included).")
                .sample(bytes, "", t.bytes());
    }

    private PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    private PrometheusText sample(String name, String labels, long value) {
        out.append(name);
        if (!labels.isEmpty() || !constantLabels.isEmpty()) {
            out.append('{').append(constantLabels);
            if (!labels.isEmpty() && !constantLabels.isEmpty()) {
                out.append(',');
            }
            out.append(labels).append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    /** Label values: backslash, double quote and line feed are escaped (format 0.0.4). */
    static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** HELP text: backslash and line feed are escaped. */
    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
