package dev.leanws.runtime;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR: a peer that does not read fast enough is closed by the slow-consumer policy. */
@Name("dev.leanws.SlowConsumer")
@Label("WebSocket Slow Consumer")
@Category({"leanws", "WebSocket"})
@Description("A connection is closed because its peer does not read its outbound queue fast enough")
@StackTrace(false)
public final class SlowConsumerJfrEvent extends jdk.jfr.Event {

    @Label("Connection Id")
    String connectionId;

    @Label("Remote Address")
    String remoteAddress;

    @Label("Queued")
    @DataAmount
    long queuedBytes;

    @Label("Detail")
    String detail;

    static void emit(String connectionId, Object remoteAddress, long queuedBytes, String detail) {
        SlowConsumerJfrEvent e = new SlowConsumerJfrEvent();
        if (e.shouldCommit()) {
            e.connectionId = connectionId;
            e.remoteAddress = String.valueOf(remoteAddress);
            e.queuedBytes = queuedBytes;
            e.detail = detail;
            e.commit();
        }
    }
}
