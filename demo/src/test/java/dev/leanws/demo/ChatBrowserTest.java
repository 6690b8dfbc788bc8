package dev.leanws.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat page in a real browser: headless Chromium, driven over the Chrome DevTools Protocol
 * with the JDK's own WebSocket client, opens the page twice; the two pages join with different
 * nicknames by typing (real input events), and each sees the other's messages, action, private
 * message and departure. Also checks that the page loaded nothing from elsewhere and threw no
 * error. A screenshot of each page is left in {@code target/} for people to look at.
 *
 * <p>Skipped, with the reason, where {@code /usr/bin/chromium} is missing
 * ({@code scripts/install-test-deps.sh} installs it), except in CI (environment {@code CI=true}),
 * where a missing browser fails the test.
 */
@Timeout(120)
class ChatBrowserTest {

    /** The browser; {@code -Dleanws.chromium=/path/to/chrome} points elsewhere. */
    private static final Path CHROMIUM = Path.of(System.getProperty("leanws.chromium", "/usr/bin/chromium"));
    private static final long WAIT_MILLIS = 15_000;   // for each thing a page should show

    private static ChatServer chat;
    /** The same chat over TLS (https:// page, wss:// chat), with a certificate of the test CA. */
    private static ChatServer chatTls;
    private static Path profile;
    private static Process browser;
    private static final BlockingQueue<String> browserOutput = new LinkedBlockingQueue<>();
    private static DevTools devTools;
    /** Why the test cannot run here, or null. */
    private static String missing;

    /** One tab, as the DevTools session that drives it. */
    private record Page(String targetId, String sessionId) {
    }

    @BeforeAll
    static void startChatAndBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            String reason = CHROMIUM + " not found (scripts/install-test-deps.sh installs it)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("the browser test must run in CI, but " + reason);
            }
            System.err.println("ChatBrowserTest skipped: " + reason);
            missing = reason;
            return;
        }
        chat = ChatServer.start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000));
        dev.leanws.testing.TestPki.Identity id = dev.leanws.testing.TestPki.get().serverEc();
        chatTls = ChatServer.start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000,
                dev.leanws.server.TlsConfig.pem(id.chain(), id.key())));
        // Chromium trusts the test server's key (only that one) instead of a CA of ours in its store.
        java.security.PublicKey key = dev.leanws.tls.Pem.readCertificates(id.chain()).get(0).getPublicKey();
        String spki = java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        profile = Files.createTempDirectory("leanws-chromium-");
        ProcessBuilder launch = new ProcessBuilder(CHROMIUM.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                // Both tabs are driven at once: keep the one in the background from being throttled.
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--ignore-certificate-errors-spki-list=" + spki,
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // Chromium puts its SingletonSocket directory under $TMPDIR and leaves it behind when it is
        // stopped: keep it inside the profile, which is deleted afterwards.
        launch.environment().put("TMPDIR", Files.createDirectory(profile.resolve("tmp")).toString());
        browser = launch.start();
        Thread.ofVirtual().name("chromium-stderr").start(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(browser.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    browserOutput.add(line);
                }
            } catch (IOException ended) {
                // the browser is gone
            }
        });
        devTools = DevTools.connect(devToolsEndpoint());
    }

    /** Reads "DevTools listening on ws://..." from the browser's stderr, within 30 s. */
    private static URI devToolsEndpoint() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> seen = new ArrayList<>();
        while (true) {
            String line = browserOutput.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("Chromium did not print its DevTools address within 30 s (alive: "
                        + browser.isAlive() + "); its stderr:\n" + String.join("\n", seen));
            }
            seen.add(line);
            if (line.startsWith("DevTools listening on ")) {
                return URI.create(line.substring("DevTools listening on ".length()).trim());
            }
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (devTools != null) {
                try {
                    devTools.call(null, "Browser.close", Map.of());
                } catch (Exception | AssertionError ignored) {
                    // it may close the connection before answering; the PID is stopped below anyway
                }
                devTools.close();
            }
        } finally {
            try {
                stopBrowser();
            } finally {
                if (chat != null) {
                    chat.close();
                }
                if (chatTls != null) {
                    chatTls.close();
                }
                deleteProfile();
            }
        }
    }

    /** Stops the browser by its PID, then any of its child processes still there, by theirs. */
    private static void stopBrowser() throws InterruptedException {
        if (browser == null) {
            return;
        }
        List<ProcessHandle> children = browser.descendants().toList();
        browser.destroy();
        if (!browser.waitFor(10, TimeUnit.SECONDS)) {
            browser.destroyForcibly();
            browser.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.onExit().completeOnTimeout(child, 10, TimeUnit.SECONDS).join();
            }
        }
    }

    private static void deleteProfile() throws IOException {
        if (profile == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @BeforeEach
    void requireBrowser() {
        Assumptions.assumeTrue(missing == null, missing);
    }

    @Test
    void twoPagesJoinWithDifferentNicknamesAndSeeEachOther() throws Exception {
        String pageUrl = Main.pageUri(chat.server().address()).toString();   // what the program prints
        Page ada = open(pageUrl);
        Page bob = open(pageUrl);
        waitFor(ada, text("#status") + " === 'connected · chat.v1'", "ada's page connected with chat.v1");
        waitFor(bob, text("#status") + " === 'connected · chat.v1'", "bob's page connected with chat.v1");
        // Chromium offers permessage-deflate on every connection and compresses what it sends,
        // so the lines typed below reach the server compressed.
        for (dev.leanws.WebSocket c : chat.server().connections()) {
            assertEquals(List.of("permessage-deflate"), c.extensions(), "what the server answered Chromium");
        }

        type(ada, "#nick", "ada");
        waitFor(ada, log() + ".includes('you joined as ada')", "ada joined");
        type(bob, "#nick", "bob");
        waitFor(bob, log() + ".includes('you joined as bob')", "bob joined");
        waitFor(ada, log() + ".includes('bob joined')", "ada sees bob join");
        waitFor(ada, users() + " === 'ada,bob'", "ada's list of users");
        waitFor(bob, users() + " === 'ada,bob'", "bob's list of users");

        type(ada, "#text", "hello from ada");
        waitFor(bob, log() + ".includes('ada: hello from ada')", "bob sees ada's message");
        type(bob, "#text", "hi ada <b>not bold</b>");
        waitFor(ada, log() + ".includes('bob: hi ada <b>not bold</b>')", "ada sees bob's message, as text");
        type(bob, "#text", "/me waves");
        waitFor(ada, log() + ".includes('* bob waves')", "ada sees bob's action");
        type(ada, "#text", "/msg bob psst");
        waitFor(bob, log() + ".includes('ada → bob: psst')", "bob sees ada's private message");

        screenshot(ada, "ada");
        screenshot(bob, "bob");

        type(bob, "#text", "/quit");
        waitFor(bob, text("#status") + " === 'disconnected (1000 quit)'", "bob's page closed");
        waitFor(ada, log() + ".includes('bob left (quit)')", "ada sees bob leave");
        waitFor(ada, users() + " === 'ada'", "ada's list without bob");

        String origin = pageUrl.substring("http://".length());   // localhost:PORT/
        String tlsOrigin = Main.pageUri(chatTls.server().address(), true).toString().substring("https://".length());
        List<String> problems = new ArrayList<>();
        for (DevTools.Event e : devTools.events()) {
            String url = switch (e.method()) {
                case "Network.requestWillBeSent" -> (String) ((Map<?, ?>) e.params().get("request")).get("url");
                case "Network.webSocketCreated" -> (String) e.params().get("url");
                default -> null;
            };
            if (e.method().equals("Runtime.exceptionThrown")) {
                problems.add("page error: " + MiniJson.write(e.params()));
            } else if (url != null && !url.startsWith("http://" + origin) && !url.startsWith("ws://" + origin)
                    && !url.startsWith("https://" + tlsOrigin) && !url.startsWith("wss://" + tlsOrigin)   // the TLS test's
                    && !url.startsWith("data:")) {
                problems.add("request to elsewhere: " + url);
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(devTools.events().stream().anyMatch(e -> e.method().equals("Network.webSocketCreated")),
                "the DevTools network log saw the page's WebSocket");
    }

    @Test
    void theChatWorksOverHttpsAndWss() throws Exception {
        String pageUrl = Main.pageUri(chatTls.server().address(), true).toString();   // https://localhost:PORT/
        Page cy = open(pageUrl);
        Page di = open(pageUrl);
        waitFor(cy, text("#status") + " === 'connected · chat.v1'", "cy's page connected over wss://");
        waitFor(di, text("#status") + " === 'connected · chat.v1'", "di's page connected over wss://");
        type(cy, "#nick", "cy");
        waitFor(cy, log() + ".includes('you joined as cy')", "cy joined");
        type(di, "#nick", "di");
        waitFor(cy, log() + ".includes('di joined')", "cy sees di join");
        type(cy, "#text", "secret hello");
        waitFor(di, log() + ".includes('cy: secret hello')", "di sees cy's message");
        assertEquals(true, evaluate(cy, "location.protocol === 'https:'"));
        String origin = pageUrl.substring("https://".length());
        assertTrue(devTools.events().stream().anyMatch(e -> e.method().equals("Network.webSocketCreated")
                && String.valueOf(e.params().get("url")).startsWith("wss://" + origin)),
                "the page opened its WebSocket with wss://");
    }

    /** A new tab with Runtime and Network events on, then navigated to {@code url}. */
    @SuppressWarnings("unchecked")
    private static Page open(String url) throws Exception {
        String targetId = (String) devTools.call(null, "Target.createTarget", Map.of("url", "about:blank"))
                .get("targetId");
        String sessionId = (String) devTools.call(null, "Target.attachToTarget",
                Map.of("targetId", targetId, "flatten", true)).get("sessionId");
        Page page = new Page(targetId, sessionId);
        devTools.call(sessionId, "Runtime.enable", Map.of());
        devTools.call(sessionId, "Network.enable", Map.of());
        devTools.call(sessionId, "Page.enable", Map.of());
        Map<String, Object> navigated = devTools.call(sessionId, "Page.navigate", Map.of("url", url));
        assertEquals(null, navigated.get("errorText"), "navigation to " + url);
        return page;
    }

    /** Focuses the field, types {@code text} as keyboard input, and presses Enter. */
    private static void type(Page page, String selector, String text) throws Exception {
        devTools.call(page.sessionId(), "Page.bringToFront", Map.of());
        evaluate(page, "document.querySelector(" + MiniJson.write(selector) + ").focus()");
        devTools.call(page.sessionId(), "Input.insertText", Map.of("text", text));
        for (String type : new String[] {"keyDown", "keyUp"}) {
            devTools.call(page.sessionId(), "Input.dispatchKeyEvent", Map.of("type", type, "key", "Enter",
                    "code", "Enter", "windowsVirtualKeyCode", 13, "text", "\r"));
        }
    }

    /**
     * Waits, inside the page, until {@code condition} (a JS expression) holds: checked now and
     * on every change of the document, for at most 15 s.
     */
    private static void waitFor(Page page, String condition, String what) throws Exception {
        String script = """
                new Promise((resolve, reject) => {
                  const holds = () => { try { return !!(%s); } catch (e) { return false; } };
                  if (holds()) { resolve(true); return; }
                  const observer = new MutationObserver(() => {
                    if (holds()) { observer.disconnect(); clearTimeout(timer); resolve(true); }
                  });
                  const timer = setTimeout(() => {
                    observer.disconnect();
                    reject(new Error("not within %d ms: " + %s + "; log: " + document.getElementById("log").innerText));
                  }, %d);
                  observer.observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
                })""".formatted(condition, WAIT_MILLIS, MiniJson.write(what), WAIT_MILLIS);
        evaluate(page, script);
    }

    /** Runs a JS expression in the page (awaiting a promise) and returns its value. */
    @SuppressWarnings("unchecked")
    private static Object evaluate(Page page, String expression) throws Exception {
        Map<String, Object> result = devTools.call(page.sessionId(), "Runtime.evaluate",
                Map.of("expression", expression, "awaitPromise", true, "returnByValue", true));
        if (result.get("exceptionDetails") instanceof Map<?, ?> details) {
            Object exception = details.get("exception") instanceof Map<?, ?> ex ? ex.get("description")
                    : details.get("text");
            throw new AssertionError(String.valueOf(exception));
        }
        return ((Map<String, Object>) result.get("result")).get("value");
    }

    private static void screenshot(Page page, String name) throws Exception {
        String png = (String) devTools.call(page.sessionId(), "Page.captureScreenshot", Map.of("format", "png"))
                .get("data");
        Path target = Path.of(System.getProperty("basedir", "."), "target");
        Files.createDirectories(target);
        Files.write(target.resolve("chat-browser-test-" + name + ".png"), Base64.getDecoder().decode(png));
    }

    private static String text(String selector) {
        return "document.querySelector(" + MiniJson.write(selector) + ").textContent";
    }

    private static String log() {
        return "document.getElementById('log').innerText";
    }

    private static String users() {
        return "[...document.querySelectorAll('#users li')].map(li => li.textContent).join(',')";
    }
}
