package dev.leanws.client.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.CloseStatus;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.CloseEvent;
import dev.leanws.testing.Fuzzer;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireLog;
import dev.leanws.testing.WirePeer;
import dev.leanws.testing.conformance.Outcome;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the whole client: for each input a client connects to a raw server that sends a seeded
 * random, damaged or hostile stream (unmasked, as a server sends; {@link Fuzzer}) in random
 * pieces, then a Close and FIN. The client must end in time, without an error other than a
 * protocol violation, masking whatever it sends, with a Close code the RFC allows, and with a
 * close event the RFC allows: 1002/1007/1009 (or 1006 after a timeout) when it ended the
 * connection itself, the server's valid code, 1005 or 1006 otherwise.
 *
 * <p>{@value #DEFAULT_CONNECTIONS} connections in a normal build; {@code -Dleanws.fuzz.connections}
 * and {@code -Dleanws.fuzz.seed} for dedicated runs.
 */
class ClientFuzzTest {

    static final int DEFAULT_CONNECTIONS = 1000;
    private static final Set<Integer> LOCAL = Set.of(1002, 1007, 1009, 1006);

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)   // a long dedicated run takes minutes; a hang never ends
    void everyConnectionEndsWithAnAllowedClose() throws Exception {
        long seed = Fuzzer.seed(0xC11E47L);
        int connections = Fuzzer.iterations("leanws.fuzz.connections", DEFAULT_CONNECTIONS);
        WebSocketConfig config = EchoClient.CONFIG.toBuilder().maxFrameSize(64 << 10).maxMessageSize(128 << 10)
                .closeTimeout(Duration.ofSeconds(2)).frameTimeout(Duration.ofSeconds(2)).build();
        Fuzzer fuzzer = new Fuzzer(seed);
        Set<Integer> seen = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        try (ServerSocket listener = WirePeer.listen()) {
            for (int i = 0; i < connections && failures.size() < 10; i++) {
                EchoClient client = EchoClient.connect(listener.getLocalPort(), config);
                String problem;
                try (WirePeer server = WirePeer.accept(listener, Duration.ofSeconds(10))) {
                    problem = play(server, fuzzer);
                }
                Outcome judged = client.judge(new Outcome(Outcome.Verdict.OK, "", ""));
                if (problem == null && judged.verdict() != Outcome.Verdict.OK) {
                    problem = judged.summary();
                }
                CloseEvent close = client.closeEvent();
                if (problem == null && close != null && !(close.remote()
                        ? CloseStatus.isValidOnWire(close.code()) || close.code() == 1005 || close.code() == 1006
                        : LOCAL.contains(close.code()))) {
                    problem = "close event " + close.code() + " " + close.reason() + (close.remote() ? " (remote)" : " (local)");
                }
                if (close != null) {
                    seen.add(close.code());
                }
                if (problem != null) {
                    failures.add("seed=" + seed + " iteration=" + i + ": " + problem);
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(seen.containsAll(Set.of(1000, 1002, 1007, 1009)), "the inputs reach every outcome: " + seen);
    }

    /** Sends one fuzzed stream, then Close and FIN; returns what the client did wrong, or null. */
    private static String play(WirePeer server, Fuzzer fuzzer) {
        try {
            for (byte[] chunk : fuzzer.chunks(fuzzer.stream(false))) {
                server.send(chunk);
            }
            server.send(server.frame(RawFrames.close(1000, "")));
            server.shutdownOutput();
        } catch (IOException e) {
            // the client may be gone already (after a Close in the stream): fine
        }
        if (server.log().awaitEnd(Duration.ofSeconds(10)) == null) {
            return "the client did not end the connection within 10 s";
        }
        for (WireLog.Entry entry : server.log().entries()) {
            if (entry instanceof WireFrame f) {
                if (!f.masked() || f.rsv() != 0) {
                    return "the client sent " + f;
                }
                if (f.isClose() && f.payload().length >= 2 && !CloseStatus.isValidOnWire(f.closeCode())) {
                    return "Close frame with code " + f.closeCode();
                }
            }
        }
        return null;
    }
}
