package dev.leanws.testing.conformance;

import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireLog;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link Transcript} into an {@link Outcome}, by Autobahn|Testsuite's rules. */
final class Judge {

    private Judge() {
    }

    /**
     * @param suiteCloseNanos when the suite sent its Close frame (log time), or -1 if it did not
     * @param notes           what the runner noticed on the way (for the report)
     */
    static Outcome judge(Expectation expect, Transcript t, long suiteCloseNanos, List<String> notes) {
        List<String> problems = new ArrayList<>();
        if (t.violation() != null) {
            problems.add(t.violation());
        }
        boolean ok = t.events().equals(expect.ok());
        boolean nonStrict = !ok && expect.nonStrict() != null && t.events().equals(expect.nonStrict());
        if (!ok && !nonStrict) {
            problems.add("events " + t.events() + " instead of " + expect.ok()
                    + (expect.nonStrict() == null ? "" : " or " + expect.nonStrict()));
        }
        WireFrame close = t.close();
        boolean suiteFirst = suiteCloseNanos >= 0 && (close == null || suiteCloseNanos <= close.nanos());
        if (close != null || suiteCloseNanos >= 0) {
            if (expect.suiteCloses() && !suiteFirst) {
                problems.add("the implementation closed first");
            } else if (!expect.suiteCloses() && suiteFirst) {
                problems.add("the implementation never failed the connection");
            }
        }
        // Stricter than Autobahn, which accepts a dropped connection where the close need not be
        // clean: the implementation must always send its Close frame with the expected code.
        if (close == null) {
            problems.add("no Close frame from the implementation");
        } else if (expect.requireClean() && suiteCloseNanos < 0) {
            problems.add("unclean close");
        }
        if (close != null && close.payload().length >= 2 && !expect.closeCodes().contains(close.closeCode())) {
            problems.add("close code " + close.closeCode() + " instead of " + expect.closeCodes());
        }
        // As in Autobahn, the implementation must end TCP; a reset after its Close frame ends it
        // too (noted in the detail; DataAfterCloseTest checks that the server ends with FIN).
        if (t.end() == null) {
            problems.add("TCP still open after the closing handshake");
        }
        String detail = detail(t, suiteCloseNanos, notes);
        if (expect.informational()) {
            String seen = t.events().size() + " events" + (close == null ? ", no close" : ", close " + close.closeCode());
            return new Outcome(Outcome.Verdict.INFORMATIONAL, seen, detail);
        }
        if (!problems.isEmpty()) {
            return new Outcome(Outcome.Verdict.FAILED, String.join("; ", problems), detail);
        }
        return new Outcome(nonStrict ? Outcome.Verdict.NON_STRICT : Outcome.Verdict.OK, "", detail);
    }

    private static String detail(Transcript t, long suiteCloseNanos, List<String> notes) {
        StringBuilder sb = new StringBuilder("events=").append(t.events());
        if (t.close() != null) {
            sb.append(" close=").append(t.close().closeCode()).append(" at ").append(CaseRunner.millis(t.close().nanos()));
            if ((suiteCloseNanos < 0 || t.close().nanos() < suiteCloseNanos) && t.lastWriteBeforeClose() >= 0) {
                sb.append(" (").append(CaseRunner.millis(t.close().nanos() - t.lastWriteBeforeClose()))
                        .append(" after the last write)");
            }
        }
        if (suiteCloseNanos >= 0) {
            sb.append(" suite-close at ").append(CaseRunner.millis(suiteCloseNanos));
        }
        if (t.end() != null) {
            sb.append(" tcp-end at ").append(CaseRunner.millis(t.end().nanos())).append(" (").append(t.end().detail()).append(')');
        }
        notes.forEach(n -> sb.append("; ").append(n));
        return sb.toString();
    }
}
