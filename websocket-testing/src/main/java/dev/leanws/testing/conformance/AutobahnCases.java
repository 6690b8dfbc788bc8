package dev.leanws.testing.conformance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Autobahn cases as JUnit tests against one implementation, our server or our client: the
 * subclass names the side and how to start a {@link Player} for it; this class starts it once,
 * checks every case's outcome against the side's ratchet file
 * ({@code /conformance/<side>-expected.txt}), then stops it and writes the report. See
 * {@link AutobahnSections} and {@link AutobahnLimits}. Its test and lifecycle methods are
 * public: the subclasses live in other packages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AutobahnCases {

    /** The implementation under test, as the cases see it. */
    public interface Player extends AutoCloseable {
        /** Plays {@code c} against the implementation and returns the judged outcome. */
        Outcome play(Case c) throws Exception;

        /** Stops the implementation (declared without InterruptedException, which a close must not throw). */
        @Override
        void close() throws java.io.IOException;
    }

    /** Starts a {@link Player}. */
    @FunctionalInterface
    public interface Starter {
        Player start() throws Exception;
    }

    private final Ratchet ratchet;
    private final String reportPart;
    private final Starter starter;
    private Player player;

    /**
     * @param side       {@code "server"} or {@code "client"}: whose ratchet file and report
     * @param reportPart the report's name, e.g. {@code "section-9"}
     * @param starter    starts the implementation under test, once for the class
     */
    protected AutobahnCases(String side, String reportPart, Starter starter) {
        this.ratchet = Ratchet.load("/conformance/" + side + "-expected.txt", side);
        this.reportPart = reportPart;
        this.starter = starter;
    }

    @BeforeAll
    public final void startPlayer() throws Exception {
        player = starter.start();
    }

    @AfterAll
    public final void stopPlayerAndWriteReport() throws Exception {
        try {
            if (player != null) {
                player.close();
            }
        } finally {
            ratchet.writeReport(reportPart);
        }
    }

    /** Plays {@code c} and fails unless its outcome is the one the ratchet file records. */
    protected final void check(Case c) throws Exception {
        ratchet.check(c, player.play(c));
    }

    protected final Ratchet ratchet() {
        return ratchet;
    }
}
