/**
 * Binds leanws metrics ({@code WebSocketMetrics} snapshots of a server or a client) to a
 * Micrometer {@code MeterRegistry}: see {@link dev.leanws.micrometer.WebSocketMeterBinder}.
 */
module dev.leanws.micrometer {
    requires transitive dev.leanws.core;
    requires transitive micrometer.core;

    exports dev.leanws.micrometer;
}
