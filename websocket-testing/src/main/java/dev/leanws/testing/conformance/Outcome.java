package dev.leanws.testing.conformance;

/**
 * The result of one case.
 *
 * @param verdict what Autobahn|Testsuite would call it
 * @param summary stable words for the ratchet file: why it failed, or what an informational
 *                case saw; empty for OK
 * @param detail  what happened, with timings, for the report (not compared)
 */
public record Outcome(Verdict verdict, String summary, String detail) {

    /** Autobahn's verdicts, best first (UNCLEAN and WRONG CODE are reported as FAILED with a reason). */
    public enum Verdict {
        OK("OK"), NON_STRICT("NON-STRICT"), INFORMATIONAL("INFORMATIONAL"), FAILED("FAILED");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The same outcome, failed for one more reason (checks made outside the runner). */
    public Outcome failedBecause(String reason) {
        String why = verdict == Verdict.FAILED && !summary.isEmpty() ? summary + "; " + reason : reason;
        return new Outcome(Verdict.FAILED, why, detail);
    }

    /** What the ratchet file holds for this outcome: the verdict, then the summary if any. */
    public String ratchetValue() {
        return summary.isEmpty() ? verdict.toString() : verdict + " " + summary;
    }
}
