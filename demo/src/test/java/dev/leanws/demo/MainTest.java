package dev.leanws.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The command line: help, usage errors and exit codes (nothing is started). */
class MainTest {

    private final Console out = new Console();
    private final Console err = new Console();

    private int run(String... args) throws InterruptedException {
        return Main.run(args, InputStream.nullInputStream(), out.stream(), err.stream());
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo", "enhanced-echo", "chat", "echo-client"})
    void everyProgramHasHelp(String program) throws Exception {
        assertEquals(0, run(program, "--help"));
        assertTrue(out.text().startsWith("usage: java -jar leanws-demo.jar " + program + " "), out.text());
        assertTrue(out.text().contains("--help"), out.text());
        assertEquals("", err.text());
    }

    @Test
    void helpWithoutAProgramListsThemAll() throws Exception {
        assertEquals(0, run("--help"));
        for (String program : new String[] {"echo ", "enhanced-echo ", "chat ", "echo-client "}) {
            assertTrue(out.text().contains("\n  " + program), program);
        }
    }

    @Test
    void noProgramIsAUsageError() throws Exception {
        assertEquals(2, run());
        assertTrue(err.text().startsWith("usage: "), err.text());
        assertEquals(2, run("serve"));
        assertTrue(err.text().contains("unknown program serve\nusage: "), err.text());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "echo --bogus                    | echo: unknown option --bogus",
        "echo -p 1                       | echo: unknown option -p",
        "echo --port                     | echo: option --port needs a value",
        "echo --port 70000               | echo: --port must be an integer from 0 to 65535: 70000",
        "echo extra                      | echo: unexpected argument extra",
        "enhanced-echo --stats-interval x | enhanced-echo: --stats-interval must be a number of seconds (0.001 to 86400): x",
        "chat --rate-limit=0             | chat: --rate-limit must be an integer from 1 to 1000000: 0",
        "echo-client                     | echo-client: missing URL",
        "echo-client http://x/           | echo-client: the URL must be ws[s]://host[:port][/path][?query]: http://x/",
        "echo-client --count 3 ws://x/   | echo-client: --count needs --send",
    })
    void aBadCommandLineIsOneLineThenTheUsageAndExit2(String command, String message) throws Exception {
        assertEquals(2, run(command.split(" ")));
        assertTrue(err.text().startsWith(message + "\nusage: java -jar leanws-demo.jar "), err.text());
        assertEquals("", out.text());
    }

    @Test
    void addressesAreWrittenAsUrls() {
        assertEquals("ws://127.0.0.1:9001/", Main.wsUri(new InetSocketAddress("127.0.0.1", 9001)).toString());
        assertEquals("ws://[0:0:0:0:0:0:0:1]:9001/", Main.wsUri(new InetSocketAddress("::1", 9001)).toString());
        assertEquals("http://localhost:8080/", Main.pageUri(new InetSocketAddress("0.0.0.0", 8080)).toString());
        assertEquals("http://localhost:8080/", Main.pageUri(new InetSocketAddress("127.0.0.1", 8080)).toString());
        assertEquals("http://10.1.2.3:8080/", Main.pageUri(new InetSocketAddress("10.1.2.3", 8080)).toString());
    }
}
