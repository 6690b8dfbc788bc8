/**
 * Binds leanws metrics ({@code WebSocketMetrics} snapshots of a server or a client) to a
 * Micrometer {@code MeterRegistry}: see {@link dev.leanws.micrometer.WebSocketMeterBinder}.
 */
// Micrometer's jar is an automatic module (no descriptor of its own); an application that binds
// meters needs it readable, so it is required transitively all the same.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.leanws.micrometer {
    requires transitive dev.leanws.core;
    requires transitive micrometer.core;

    exports dev.leanws.micrometer;
}
