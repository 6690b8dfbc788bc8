package dev.leanws.runtime;

import dev.leanws.event.CloseEvent;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** JFR: a WebSocket connection closed; why, with what code, after how long, and its traffic. */
@Name("dev.leanws.Close")
@Label("WebSocket Close")
@Category({"leanws", "WebSocket"})
@Description("A WebSocket connection closed")
@StackTrace(false)
public final class CloseJfrEvent extends jdk.jfr.Event {

    @Label("Connection Id")
    String connectionId;

    @Label("Remote Address")
    String remoteAddress;

    @Label("Cause")
    String cause;

    @Label("Code")
    int code;

    @Label("Reason")
    String reason;

    @Label("Remote")
    @Description("Whether the peer started the end")
    boolean remote;

    @Label("Clean")
    @Description("Whether the closing handshake completed")
    boolean clean;

    @Label("Connection Duration")
    @Timespan(Timespan.NANOSECONDS)
    long connectionDuration;

    @Label("Bytes In")
    @DataAmount
    long bytesIn;

    @Label("Bytes Out")
    @DataAmount
    long bytesOut;

    @Label("Messages In")
    long messagesIn;

    @Label("Messages Out")
    long messagesOut;

    static void emit(WebSocketConnection c, CloseEvent event, long openedNanos) {
        CloseJfrEvent e = new CloseJfrEvent();
        if (e.shouldCommit()) {
            TrafficCounters t = c.traffic();
            e.connectionId = c.id();
            e.remoteAddress = String.valueOf(c.remoteAddress());
            e.cause = event.cause().name();
            e.code = event.code();
            e.reason = event.reason();
            e.remote = event.remote();
            e.clean = event.clean();
            e.connectionDuration = openedNanos == 0 ? 0 : System.nanoTime() - openedNanos;
            e.bytesIn = t.bytesIn();
            e.bytesOut = t.bytesOut();
            e.messagesIn = t.textMessagesIn() + t.binaryMessagesIn();
            e.messagesOut = t.textMessagesOut() + t.binaryMessagesOut();
            e.commit();
        }
    }
}
