package dev.leanws.runtime;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR: the server-wide memory budget could not grant a request (a connection is then closed
 * with cause {@code MEMORY_PRESSURE} or its read waits). For the memory budget to emit.
 */
@Name("dev.leanws.BudgetPressure")
@Label("WebSocket Memory Budget Pressure")
@Category({"leanws", "WebSocket"})
@Description("The server-wide memory budget refused a request")
@StackTrace(false)
public final class BudgetPressureJfrEvent extends jdk.jfr.Event {

    @Label("Connection Id")
    String connectionId;

    @Label("Requested")
    @DataAmount
    long requestedBytes;

    @Label("Used")
    @DataAmount
    long usedBytes;

    @Label("Limit")
    @DataAmount
    long limitBytes;

    @Label("Purpose")
    @Description("What the bytes were for, e.g. a partial message or an outbound queue")
    String purpose;

    /** Records the event if a recording wants it. */
    public static void emit(String connectionId, long requestedBytes, long usedBytes, long limitBytes, String purpose) {
        BudgetPressureJfrEvent e = new BudgetPressureJfrEvent();
        if (e.shouldCommit()) {
            e.connectionId = connectionId;
            e.requestedBytes = requestedBytes;
            e.usedBytes = usedBytes;
            e.limitBytes = limitBytes;
            e.purpose = purpose;
            e.commit();
        }
    }
}
