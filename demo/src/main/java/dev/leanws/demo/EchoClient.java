package dev.leanws.demo;

import dev.leanws.CloseStatus;
import dev.leanws.DeflateConfig;
import dev.leanws.WebSocketConfig;
import dev.leanws.WebSocketException;
import dev.leanws.client.ClientConfig;
import dev.leanws.client.ClientTls;
import dev.leanws.client.WebSocketClient;
import dev.leanws.demo.Flags.UsageException;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code echo-client}: connects to a WebSocket server and either sends each line of stdin and
 * prints what comes back, or ({@code --send TEXT --count N}) sends TEXT N times and checks that
 * every echo came back unchanged, exiting 0 only then, so it can test any echo server.
 *
 * <p>Everything the connection reports (text, binary, the close) goes into one queue through
 * handlers given in {@link ClientConfig} (registered before the first event, so nothing is
 * missed); the main thread takes from it with a deadline. Every wait is bounded by
 * {@code --timeout}.
 */
final class EchoClient {

    static final Set<String> OPTIONS = Main.with(DemoTls.CLIENT_OPTIONS, "send", "count", "timeout", "subprotocol",
            "deflate");

    static final String USAGE = """
            usage: java -jar leanws-demo.jar echo-client [options] URL

            Connects to URL (ws://host:port/path, or wss:// for TLS). Without --send: sends each
            line of stdin as a text message and prints every message that comes back; at the end
            of stdin waits for the outstanding echoes, closes and exits. With --send: sends TEXT --count times,
            checks that every echo is TEXT, and exits 0 only if all came back unchanged.

              --send TEXT          the message to send (instead of reading stdin)
              --count N            how many times to send it (default 1)
              --timeout S          limit in seconds for connecting and for each wait for an
                                   echo (default 10)
              --subprotocol NAME   offer this subprotocol (e.g. chat.v1 for the chat server)
              --ca-cert FILE       wss://: trust the CA certificates of this PEM file (instead
                                   of the JDK's trust store)
              --insecure           wss://: trust any certificate, check no host name (tests
                                   against a self-signed server only; prints a warning)
              --deflate            offer permessage-deflate (compression) and print what the
                                   server agreed ("extensions: ...") once connected
              --help               this text

            Exit codes: 0 done, 1 failed (cannot connect, echo missing or different, closed
            by the server with an error code), 2 bad command line.
            """;

    /** What the command line sets; {@code send} is null for the stdin mode. */
    record Settings(URI uri, String send, int count, Duration timeout, List<String> subprotocols, ClientTls tls,
            boolean deflate) {
        Settings(URI uri, String send, int count, Duration timeout, List<String> subprotocols, ClientTls tls) {
            this(uri, send, count, timeout, subprotocols, tls, false);
        }
    }

    /** A line read from stdin, and the end of stdin. */
    private record Line(String text) {
    }

    private record EndOfInput() {
    }

    private EchoClient() {
    }

    static Settings settings(Flags flags) throws UsageException {
        return settings(flags, System.err);
    }

    /** {@code err} gets the {@code --insecure} warning. */
    static Settings settings(Flags flags, PrintStream err) throws UsageException {
        if (flags.positional().isEmpty()) {
            throw new UsageException("missing URL");
        }
        URI uri;
        try {
            uri = new URI(flags.positional().get(0));
        } catch (java.net.URISyntaxException e) {
            throw new UsageException("not a URL: " + flags.positional().get(0));
        }
        boolean wss = "wss".equalsIgnoreCase(uri.getScheme());
        if (!(wss || "ws".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null || uri.getRawFragment() != null) {
            throw new UsageException("the URL must be ws[s]://host[:port][/path][?query]: " + uri);
        }
        if (!wss && (flags.has("ca-cert") || flags.has("insecure"))) {
            throw new UsageException("--ca-cert and --insecure are for wss:// URLs");
        }
        if (flags.has("count") && !flags.has("send")) {
            throw new UsageException("--count needs --send");
        }
        List<String> subprotocols = flags.has("subprotocol") ? List.of(flags.string("subprotocol", "")) : List.of();
        try {
            ClientConfig.builder().subprotocols(subprotocols).build();   // the client's own checks, as a usage error
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new Settings(uri, flags.string("send", null), flags.integer("count", 1, 1, Integer.MAX_VALUE),
                flags.seconds("timeout", Duration.ofSeconds(10)), subprotocols, DemoTls.client(flags, err),
                flags.has("deflate"));
    }

    static int run(Settings settings, InputStream stdin, PrintStream out, PrintStream err) throws InterruptedException {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        ClientConfig config = ClientConfig.builder()
                .subprotocols(settings.subprotocols())
                .tls(settings.tls())
                .deflate(settings.deflate() ? DeflateConfig.defaults() : DeflateConfig.disabled())
                .connectTimeout(settings.timeout())
                .config(WebSocketConfig.builder().handshakeTimeout(settings.timeout()).build())
                .subscribe(EventFilter.textMessages(), e -> inbox.add(e.text()))
                .subscribe(EventFilter.binaryMessages(), e -> inbox.add(e.bytes()))
                .subscribe(EventFilter.closes(), inbox::add)
                .build();
        try (WebSocketClient ws = WebSocketClient.connect(settings.uri(), config)) {
            if (settings.deflate()) {
                out.println("extensions: " + (ws.extensions().isEmpty() ? "(none)" : String.join(", ", ws.extensions())));
            }
            return settings.send() != null
                    ? check(ws, settings, inbox, out, err)
                    : interactive(ws, settings.timeout(), stdin, inbox, out, err);
        } catch (IOException | WebSocketException e) {   // IOException includes HandshakeException (e.g. a 400)
            err.println("echo-client: cannot connect to " + settings.uri() + ": " + e.getClass().getSimpleName()
                    + ": " + e.getMessage());
            return 1;
        }   // close(): the closing handshake, bounded by the close timeout
    }

    /** Sends TEXT count times, then expects count echoes equal to TEXT. */
    private static int check(WebSocketClient ws, Settings settings, BlockingQueue<Object> inbox, PrintStream out,
            PrintStream err) throws InterruptedException {
        String text = settings.send();
        int count = settings.count();
        for (int i = 0; i < count; i++) {
            if (!ws.send(text)) {
                err.println("echo-client: send " + (i + 1) + " of " + count + " failed: the connection is "
                        + ws.state());
                return 1;
            }
        }
        for (int i = 1; i <= count; i++) {
            Object echo = inbox.poll(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (echo == null) {
                err.println("echo-client: echo " + i + " of " + count + " did not come within " + settings.timeout());
                return 1;
            }
            if (echo instanceof CloseEvent close) {
                err.println("echo-client: closed by the server after " + (i - 1) + " of " + count + " echoes: "
                        + close.code() + " " + close.reason());
                return 1;
            }
            if (!text.equals(echo)) {
                err.println("echo-client: echo " + i + " of " + count + " differs: sent " + quote(text) + ", got "
                        + (echo instanceof String s ? quote(s) : "binary (" + ((byte[]) echo).length + " bytes)"));
                return 1;
            }
        }
        out.println("all " + count + " echoes came back unchanged");
        return 0;
    }

    /**
     * Sends stdin line by line and prints what comes back. At the end of stdin it waits until as
     * many messages came back as lines went out, then closes and prints what still arrives
     * before the server's Close (e.g. a chat server's answer to the last line).
     */
    private static int interactive(WebSocketClient ws, Duration timeout, InputStream stdin, BlockingQueue<Object> inbox,
            PrintStream out, PrintStream err) throws InterruptedException {
        Thread.ofPlatform().name("stdin").daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    inbox.add(new Line(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                inbox.add(new EndOfInput());
            }
        });
        long sent = 0;
        long received = 0;
        boolean inputEnded = false;
        boolean closing = false;
        while (true) {
            if (inputEnded && received >= sent && !closing) {
                ws.close(CloseStatus.NORMAL);
                closing = true;
            }
            Object next = inputEnded ? inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS) : inbox.take();
            switch (next) {
                case null -> {
                    err.println("echo-client: " + (closing ? "the server did not close" : (sent - received)
                            + " echoes did not come") + " within " + timeout);
                    return 1;
                }
                case Line line -> {
                    if (ws.send(line.text())) {
                        sent++;
                    }
                }
                case EndOfInput end -> inputEnded = true;
                case String text -> {
                    out.println(text);
                    received++;
                }
                case byte[] bytes -> {
                    out.println("[binary message of " + bytes.length + " bytes]");
                    received++;
                }
                case CloseEvent close -> {
                    if (closing) {
                        return close.code() == 1000 ? 0 : 1;
                    }
                    err.println("echo-client: closed by the server: " + close.code() + " " + close.reason());
                    return close.code() == 1000 || close.code() == 1001 ? 0 : 1;
                }
                default -> throw new IllegalStateException("unexpected " + next);
            }
        }
    }

    private static String quote(String s) {
        return s.length() <= 60 ? "\"" + s + "\"" : "\"" + s.substring(0, 60) + "...\" (" + s.length() + " chars)";
    }
}
