package dev.leanws.runtime;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR: an opening handshake was answered, accepted (101) or refused (any other status). Only
 * built when a recording has it enabled, so it costs nothing otherwise.
 */
@Name("dev.leanws.Handshake")
@Label("WebSocket Handshake")
@Category({"leanws", "WebSocket"})
@Description("An opening handshake was answered: 101, or the status it was refused with")
@StackTrace(false)
public final class HandshakeJfrEvent extends jdk.jfr.Event {

    @Label("Connection Id")
    String connectionId;

    @Label("Remote Address")
    String remoteAddress;

    @Label("Path")
    String path;

    @Label("Status")
    @Description("101 when accepted, otherwise the HTTP status of the refusal")
    int status;

    @Label("Accepted")
    boolean accepted;

    @Label("Handshake Time")
    @Description("From the connection's acceptance (or the client's dial) to the answer")
    @Timespan(Timespan.NANOSECONDS)
    long handshakeTime;

    /** Records the event if a recording wants it. */
    public static void emit(String connectionId, Object remoteAddress, String path, int status, long startNanos) {
        HandshakeJfrEvent e = new HandshakeJfrEvent();
        if (e.shouldCommit()) {
            e.connectionId = connectionId;
            e.remoteAddress = String.valueOf(remoteAddress);
            e.path = path;
            e.status = status;
            e.accepted = status == 101;
            e.handshakeTime = System.nanoTime() - startNanos;
            e.commit();
        }
    }
}
