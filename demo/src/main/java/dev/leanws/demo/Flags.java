package dev.leanws.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of one program: {@code --name value} (or {@code --name=value}) options,
 * {@code --help}, then positional arguments. Only the names a program declares are accepted;
 * anything else is a {@link UsageException}, which {@link Main} turns into one line, the usage
 * and exit code 2.
 */
final class Flags {

    /** A command line the program cannot run with. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Options that take no value: present or not (e.g. {@code --no-deflate}). */
    static final Set<String> SWITCHES = Set.of("deflate", "no-deflate");

    private final Map<String, String> values;
    private final List<String> positional;
    private final boolean help;

    private Flags(Map<String, String> values, List<String> positional, boolean help) {
        this.values = values;
        this.positional = positional;
        this.help = help;
    }

    /**
     * Parses {@code args}, accepting the options in {@code names} (each takes a value) and at
     * most {@code maxPositional} positional arguments.
     */
    static Flags parse(String[] args, Set<String> names, int maxPositional) throws UsageException {
        return parse(args, names, Set.of(), maxPositional);
    }

    /** As {@link #parse(String[], Set, int)}, with {@code switches}: options that take no value ({@code --insecure}). */
    static Flags parse(String[] args, Set<String> names, Set<String> switches, int maxPositional) throws UsageException {
        Map<String, String> values = new HashMap<>();
        List<String> positional = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                if (switches.contains(name) && eq < 0) {
                    values.put(name, "true");
                    continue;
                }
                if (!names.contains(name)) {
                    throw new UsageException("unknown option " + (eq < 0 ? arg : arg.substring(0, eq)));
                }
                String value;
                if (SWITCHES.contains(name)) {
                    if (eq >= 0) {
                        throw new UsageException("option --" + name + " takes no value");
                    }
                    value = "";
                } else if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException("option --" + name + " needs a value");
                }
                values.put(name, value);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                throw new UsageException("unknown option " + arg);
            } else {
                positional.add(arg);
            }
        }
        if (!help && positional.size() > maxPositional) {
            throw new UsageException("unexpected argument " + positional.get(maxPositional));
        }
        return new Flags(values, positional, help);
    }

    boolean help() {
        return help;
    }

    List<String> positional() {
        return positional;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /** An integer option within {@code [min, max]}. */
    int integer(String name, int defaultValue, int min, int max) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be an integer from " + min + " to " + max + ": " + value);
    }

    /** A duration option given in seconds, fractions allowed ({@code 0.5}); at least 1 ms. */
    Duration seconds(String name, Duration defaultValue) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            double s = Double.parseDouble(value);
            if (s >= 0.001 && s <= 86_400) {
                return Duration.ofMillis(Math.round(s * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a number of seconds (0.001 to 86400): " + value);
    }
}
