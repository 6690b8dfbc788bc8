package dev.leanws.testing.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Autobahn|Testsuite sections 12 and 13 (permessage-deflate), modelled: 216 cases, 18 per
 * subsection, each an echo of {@link DeflateCase#count()} messages of one size, whole or in
 * 256-byte frames.
 * <ul>
 *   <li>12.1-12.5: the default offer and answer, five kinds of payload like Autobahn's files
 *       (JSON text, a bitmap, German prose, HTML, a PDF-like mix), generated;</li>
 *   <li>13.1-13.7: JSON text under other parameters: 13.1 defaults, 13.2 no context takeover
 *       both ways, 13.3 windows of 8 bits, 13.4 windows of 15 bits, 13.5 no takeover and 8 bits,
 *       13.6 no takeover and 15 bits, 13.7 three offers of which the first is accepted.</li>
 * </ul>
 * Sizes 16 B to 128 KiB whole (ids .1-.10), then 256 B to 128 KiB in 256-byte frames
 * (.11-.18). Autobahn sends 1000 messages per case; here the count is 1000 for small messages
 * and falls so that each case moves about 128 KiB (at least 10 messages), which keeps the 216
 * cases of a side within seconds. See {@link DeflateCaseRunner} for how a case is judged.
 */
public final class DeflateCases {

    /**
     * One case.
     *
     * @param id          the Autobahn-style id, e.g. {@code 13.3.11}
     * @param description what it sends
     * @param offers      the client's {@code Sec-WebSocket-Extensions} elements, in order
     * @param answer      the server's answer
     * @param agreed      what that answer means
     * @param payload     which payload kind (12.x: 1-5; 13.x: 1)
     * @param size        bytes per message
     * @param count       messages
     * @param fragment    frame size for fragmented sends, 0 for whole messages
     */
    public record DeflateCase(String id, String description, List<String> offers, String answer, Agreed agreed,
            int payload, int size, int count, int fragment) {
        @Override
        public String toString() {
            return id + " " + description;
        }
    }

    /**
     * What a case's handshake agrees, from RFC 7692's point of view (kept here so the suite
     * depends on nothing of the library under test).
     */
    public record Agreed(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
            int clientMaxWindowBits) {
        static final Agreed DEFAULTS = new Agreed(false, false, 15, 15);

        public boolean noContextTakeover(boolean server) {
            return server ? serverNoContextTakeover : clientNoContextTakeover;
        }

        public int maxWindowBits(boolean server) {
            return server ? serverMaxWindowBits : clientMaxWindowBits;
        }
    }

    private static final int[] WHOLE = {16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072};
    private static final int[] FRAGMENTED = {256, 1024, 4096, 8192, 16384, 32768, 65536, 131072};
    private static final String[] KINDS = {"", "JSON text", "bitmap (binary)", "German prose", "HTML", "PDF-like (binary)"};

    private DeflateCases() {
    }

    /** All 216 cases, in id order. */
    public static List<DeflateCase> all() {
        List<DeflateCase> cases = new ArrayList<>();
        String pmd = "permessage-deflate";
        for (int kind = 1; kind <= 5; kind++) {
            add(cases, "12." + kind, KINDS[kind], List.of(pmd + "; client_max_window_bits"), pmd,
                    Agreed.DEFAULTS, kind);
        }
        add(cases, "13.1", "defaults", List.of(pmd + "; client_max_window_bits"), pmd, Agreed.DEFAULTS, 1);
        add(cases, "13.2", "no context takeover",
                List.of(pmd + "; server_no_context_takeover; client_no_context_takeover"),
                pmd + "; server_no_context_takeover; client_no_context_takeover", new Agreed(true, true, 15, 15), 1);
        add(cases, "13.3", "windows of 8 bits", List.of(pmd + "; server_max_window_bits=8; client_max_window_bits=8"),
                pmd + "; server_max_window_bits=8; client_max_window_bits=8", new Agreed(false, false, 8, 8), 1);
        add(cases, "13.4", "windows of 15 bits", List.of(pmd + "; server_max_window_bits=15; client_max_window_bits=15"),
                pmd + "; server_max_window_bits=15", new Agreed(false, false, 15, 15), 1);
        add(cases, "13.5", "no context takeover, windows of 8 bits",
                List.of(pmd + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=8; "
                        + "client_max_window_bits=8"),
                pmd + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=8; "
                        + "client_max_window_bits=8", new Agreed(true, true, 8, 8), 1);
        add(cases, "13.6", "no context takeover, windows of 15 bits",
                List.of(pmd + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15; "
                        + "client_max_window_bits=15"),
                pmd + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15",
                new Agreed(true, true, 15, 15), 1);
        add(cases, "13.7", "three offers, the first accepted",
                List.of(pmd + "; server_no_context_takeover; server_max_window_bits=8; client_max_window_bits",
                        pmd + "; server_no_context_takeover; client_max_window_bits", pmd + "; client_max_window_bits"),
                pmd + "; server_no_context_takeover; server_max_window_bits=8", new Agreed(true, false, 8, 15), 1);
        return cases;
    }

    private static void add(List<DeflateCase> cases, String prefix, String what, List<String> offers, String answer,
            Agreed agreed, int kind) {
        int n = 1;
        for (int size : WHOLE) {
            cases.add(new DeflateCase(prefix + "." + n++, what + ", " + label(size) + " messages", offers, answer, agreed,
                    kind, size, count(size), 0));
        }
        for (int size : FRAGMENTED) {
            cases.add(new DeflateCase(prefix + "." + n++, what + ", " + label(size) + " messages in 256 B frames", offers,
                    answer, agreed, kind, size, count(size), 256));
        }
    }

    private static int count(int size) {
        return Math.max(10, Math.min(1000, (128 << 10) / size));
    }

    private static String label(int size) {
        return size >= 1024 ? (size >> 10) + " KiB" : size + " B";
    }

    /** Whether the kind is sent as text (else binary). */
    public static boolean isText(int kind) {
        return kind != 2 && kind != 5;
    }

    /** Message {@code index} of a case: a window into a generated document of its kind. */
    public static byte[] message(DeflateCase c, int index) {
        byte[] corpus = corpus(c.payload());
        byte[] out = new byte[c.size()];
        int start = (int) ((long) index * 7919 % Math.max(1, corpus.length - c.size()));
        for (int i = 0; i < out.length; i++) {
            out[i] = corpus[(start + i) % corpus.length];
        }
        if (isText(c.payload())) {
            // Cut on ASCII so every message is valid UTF-8 on its own.
            for (int i = 0; i < out.length; i++) {
                if (out[i] < 0) {
                    out[i] = ' ';
                }
            }
        }
        return out;
    }

    private static final byte[][] CORPORA = new byte[6][];

    private static synchronized byte[] corpus(int kind) {
        if (CORPORA[kind] == null) {
            CORPORA[kind] = generate(kind);
        }
        return CORPORA[kind];
    }

    /** About 256 KiB of each kind, deterministic (larger than any message, so messages are windows into it). */
    private static byte[] generate(int kind) {
        SplittableRandom r = new SplittableRandom(kind);
        int target = 256 << 10;
        StringBuilder sb = new StringBuilder();
        String[] words = {"der", "die", "und", "Geist", "Faust", "Mephistopheles", "habe", "nun", "ach", "Philosophie",
                "Juristerei", "Medizin", "leider", "auch", "Theologie", "durchaus", "studiert", "heißem", "Bemühn"};
        switch (kind) {
            case 1 -> {
                while (sb.length() < target) {
                    sb.append("{\"id\":").append(r.nextInt(100_000)).append(",\"user\":\"user").append(r.nextInt(500))
                            .append("\",\"score\":").append(r.nextInt(10_000) / 100.0).append(",\"tags\":[\"")
                            .append(r.nextBoolean() ? "alpha" : "beta").append("\"]},\n");
                }
            }
            case 3 -> {
                while (sb.length() < target) {
                    sb.append(words[r.nextInt(words.length)]).append(r.nextInt(12) == 0 ? ".\n" : " ");
                }
            }
            case 4 -> {
                while (sb.length() < target) {
                    sb.append("<div class=\"row\"><a href=\"/item/").append(r.nextInt(5000)).append("\">")
                            .append(words[r.nextInt(words.length)]).append("</a><span>").append(r.nextInt(100))
                            .append("</span></div>\n");
                }
            }
            default -> {
                byte[] bytes = new byte[target];
                for (int i = 0; i < target; i++) {
                    // 2: a smooth gradient with noise, like a picture; 5: runs of text and of noise.
                    bytes[i] = kind == 2 ? (byte) ((i % 512) / 2 + r.nextInt(4))
                            : (i / 4096) % 2 == 0 ? (byte) ('a' + r.nextInt(8)) : (byte) r.nextInt(256);
                }
                return bytes;
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
