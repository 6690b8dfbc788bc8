package dev.leanws.demo;

import dev.leanws.DeflateConfig;
import dev.leanws.demo.Flags.UsageException;
import dev.leanws.server.WebSocketServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * The demo jar's entry point: {@code java -jar leanws-demo.jar <program> [options]}. Parses the
 * command line, starts the program, and for a server prints where it listens and serves until
 * Ctrl-C or SIGTERM (a shutdown hook stops it: 1001 to every client, then wait up to 5 s).
 *
 * <p>Exit codes: 0 done, 1 failed (cannot listen, cannot connect, wrong echoes), 2 bad command line.
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar leanws-demo.jar <program> [options]

            programs:
              echo           the minimal echo server: every text and binary message comes back
              enhanced-echo  echo server with events, keep-alive and a stats line every few seconds
              chat           multi-client chat, with a browser page at http://localhost:8080/
                             (https:// and wss:// with --tls-cert/--tls-key or --keystore)
              echo-client    sends lines from stdin (or --send TEXT --count N) and prints or checks the echoes

            java -jar leanws-demo.jar <program> --help   lists a program's options
            """;

    private static final Set<String> SERVER_OPTIONS = with(DemoTls.SERVER_OPTIONS, "host", "port", "no-deflate");
    private static final Set<String> ECHO_OPTIONS = with(SERVER_OPTIONS, "max-connections");
    private static final String SERVER_OPTIONS_HELP = """
              --host ADDRESS   address to listen on (default 127.0.0.1: this machine only;
                               0.0.0.0 for every IPv4 interface, :: for every interface)
              --port N         port to listen on (default %d; 0 picks a free port)
            """ + DemoTls.SERVER_HELP + """
              --help           this text
            """;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        int status = run(args, System.in, System.out, System.err);
        // A server program returns here once the shutdown hook stopped it (Ctrl-C, SIGTERM); the
        // JVM is already shutting down, so this exit only waits for it to halt with the signal's status.
        System.exit(status);
    }

    /**
     * Runs a program. A client program returns its exit code; a server program serves until it is
     * stopped by the shutdown hook (or returns at once for {@code --help} or when it cannot start).
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String program = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (usage(program) == null) {
            err.println("unknown program " + program);
            err.print(USAGE);
            return 2;
        }
        try {
            return run(program, rest, in, out, err);
        } catch (UsageException e) {
            err.println(program + ": " + e.getMessage());
            err.print(usage(program));
            return 2;
        } catch (IOException e) {
            err.println(program + ": " + e);
            return 1;
        }
    }

    private static int run(String program, String[] args, InputStream in, PrintStream out, PrintStream err)
            throws UsageException, IOException, InterruptedException {
        Flags flags = switch (program) {
            case "echo" -> Flags.parse(args, ECHO_OPTIONS, 0);
            case "enhanced-echo" -> Flags.parse(args, EnhancedEchoServer.OPTIONS, 0);
            case "chat" -> Flags.parse(args, ChatServer.OPTIONS, 0);
            default -> Flags.parse(args, EchoClient.OPTIONS, DemoTls.CLIENT_SWITCHES, 1);
        };
        if (flags.help()) {
            out.print(usage(program));
            return 0;
        }
        String host = flags.string("host", "127.0.0.1");
        return switch (program) {
            case "echo" -> {
                WebSocketServer server = EchoServer.start(host, port(flags, 9001), DemoTls.server(flags),
                        flags.has("no-deflate") ? DeflateConfig.disabled() : DeflateConfig.defaults(),
                        flags.has("max-connections") ? flags.integer("max-connections", 0, 1, 1_000_000) : 0);
                yield serve(server, () -> server.stop(Duration.ofSeconds(5)), out, null);
            }
            case "enhanced-echo" -> {
                var settings = EnhancedEchoServer.settings(flags, host, port(flags, 9001));
                EnhancedEchoServer app = EnhancedEchoServer.start(settings, out);
                yield serve(app.server(), app::close, out, null);
            }
            case "chat" -> {
                ChatServer app = ChatServer.start(ChatServer.settings(flags, host, port(flags, 8080)));
                yield serve(app.server(), app::close, out, "chat page: " + pageUri(app.server().address(), isTls(app.server())));
            }
            default -> EchoClient.run(EchoClient.settings(flags, err), in, out, err);
        };
    }

    private static String usage(String program) {
        return switch (program) {
            case "echo" -> """
                    usage: java -jar leanws-demo.jar echo [options]

                    The minimal echo server: every text and binary message comes back unchanged,
                    on any path. Messages up to 64 MiB; a keep-alive ping after 30 s of silence;
                    permessage-deflate when the client offers it.

                      --no-deflate     decline permessage-deflate (compression)
                      --max-connections N
                                       connections served at once; more get 503 (default 10000)
                    """ + SERVER_OPTIONS_HELP.formatted(9001);
            case "enhanced-echo" -> EnhancedEchoServer.USAGE + SERVER_OPTIONS_HELP.formatted(9001);
            case "chat" -> ChatServer.USAGE + SERVER_OPTIONS_HELP.formatted(8080);
            case "echo-client" -> EchoClient.USAGE;
            default -> null;
        };
    }

    private static int port(Flags flags, int defaultPort) throws UsageException {
        return flags.integer("port", defaultPort, 0, 65535);
    }

    /**
     * Prints where the server listens (one line that scripts and tests read) and the hint if
     * any, then serves until the JVM is asked to stop: a shutdown hook runs {@code stop} (1001 to
     * every client, then up to 5 s for their closing handshakes), which ends {@code awaitStop}.
     */
    private static int serve(WebSocketServer server, Runnable stop, PrintStream out, String hint)
            throws InterruptedException {
        out.println("listening on " + wsUri(server.address(), isTls(server)));
        if (hint != null) {
            out.println(hint);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "leanws-demo-shutdown"));
        server.awaitStop();   // until Ctrl-C or SIGTERM, or a fatal error stops the server
        return exitStatus(server);
    }

    /**
     * 0 after a requested stop; 70 (EX_SOFTWARE) if the server stopped itself after a fatal
     * error (an OutOfMemoryError in its threads), so a supervisor sees the failure and restarts
     * the program.
     */
    static int exitStatus(WebSocketServer server) {
        return server.failure().isPresent() ? 70 : 0;
    }

    /** {@code ws://127.0.0.1:9001/}, with brackets around an IPv6 address. */
    static URI wsUri(InetSocketAddress address) {
        return wsUri(address, false);
    }

    /** {@code ws://} or, over TLS, {@code wss://127.0.0.1:9001/}. */
    static URI wsUri(InetSocketAddress address, boolean tls) {
        String host = address.getAddress().getHostAddress();
        return URI.create((tls ? "wss://" : "ws://") + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + address.getPort() + "/");
    }

    /** The page's address as a person types it: localhost for loopback and wildcard addresses. */
    static URI pageUri(InetSocketAddress address) {
        return pageUri(address, false);
    }

    /** {@link #pageUri(InetSocketAddress)}, {@code https://} over TLS. */
    static URI pageUri(InetSocketAddress address, boolean tls) {
        var ip = address.getAddress();
        String host = ip.isLoopbackAddress() || ip.isAnyLocalAddress() ? "localhost" : ip.getHostAddress();
        return URI.create((tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + address.getPort() + "/");
    }

    private static boolean isTls(WebSocketServer server) {
        try {
            server.tls();
            return true;
        } catch (IllegalStateException plain) {
            return false;
        }
    }

    /** {@code base} plus {@code names}: a program's options. */
    static Set<String> with(Set<String> base, String... names) {
        Set<String> all = new java.util.HashSet<>(base);
        all.addAll(Set.of(names));
        return Set.copyOf(all);
    }
}
