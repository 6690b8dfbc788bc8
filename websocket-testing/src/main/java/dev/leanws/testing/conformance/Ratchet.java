package dev.leanws.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conformance ratchet (OkHttp's Autobahn golden file, in Java): a committed file holds the
 * expected result of every case, one line each ({@code 6.4.1 OK}); each run compares every
 * case's result with its line, so any change (a regression, or a fix not yet recorded) fails
 * the build, and writes the results with their details to {@code target/conformance/}.
 *
 * <p>A known bug is recorded as its FAILED line (with its reason) until it is fixed; fixing it
 * then fails the build until the line says OK.
 */
public final class Ratchet {

    /** Orders case ids numerically: 6.9.1 before 6.10.1. */
    public static final Comparator<String> BY_ID = (a, b) -> {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    };

    private final String name;
    private final Map<String, String> expected;
    private final Map<String, Result> results = new ConcurrentHashMap<>();

    private record Result(Case c, Outcome outcome) {
    }

    private Ratchet(String name, Map<String, String> expected) {
        this.name = name;
        this.expected = expected;
    }

    /** Loads the expected results from a class path resource such as {@code /conformance/server-expected.txt}. */
    public static Ratchet load(String resource, String name) {
        Map<String, String> expected = new LinkedHashMap<>();
        try (InputStream in = Ratchet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no ratchet file " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int space = l.indexOf(' ');
                expected.put(l.substring(0, space), l.substring(space + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Ratchet(name, expected);
    }

    /** The case ids the file lists. */
    public List<String> ids() {
        return new ArrayList<>(expected.keySet());
    }

    /** Records {@code outcome} and asserts it is what the file expects. */
    public void check(Case c, Outcome outcome) {
        results.put(c.id(), new Result(c, outcome));
        assertEquals(expected.get(c.id()), outcome.ratchetValue(),
                () -> c + ": the result differs from " + name + "'s ratchet file (detail: " + outcome.detail() + ")");
    }

    /**
     * Writes {@code target/conformance/<name>-<part>.txt}: per section, cases run and OK, then
     * one line per case with its verdict, reason and detail; and {@code <name>-<part>-verdicts.txt}
     * in the ratchet file's format, to copy into it when a change is intended. Never fails (the
     * checks did).
     */
    public void writeReport(String part) {
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "conformance");
        Map<String, Result> sorted = new TreeMap<>(BY_ID);
        sorted.putAll(results);
        Map<Integer, int[]> perSection = new TreeMap<>();
        for (Result r : sorted.values()) {
            int[] counts = perSection.computeIfAbsent(r.c().section(), s -> new int[2]);
            counts[0]++;
            counts[1] += r.outcome().verdict() == Outcome.Verdict.OK ? 1 : 0;
        }
        StringBuilder sb = new StringBuilder("# Autobahn|Testsuite cases against the " + name + " (" + part + ")\n");
        StringBuilder verdicts = new StringBuilder();
        perSection.forEach((s, n) -> sb.append("# section ").append(s).append(": ").append(n[0]).append(" run, ")
                .append(n[1]).append(" OK\n"));
        for (Map.Entry<String, Result> e : sorted.entrySet()) {
            Outcome o = e.getValue().outcome();
            String want = expected.get(e.getKey());
            verdicts.append(e.getKey()).append(' ').append(o.ratchetValue()).append('\n');
            sb.append(e.getKey()).append(' ').append(o.ratchetValue())
                    .append(o.ratchetValue().equals(want) ? "" : "   <-- ratchet expects: " + want)
                    .append("   | ").append(o.detail()).append('\n');
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + "-" + part + ".txt"), sb);
            Files.writeString(dir.resolve(name + "-" + part + "-verdicts.txt"), verdicts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
