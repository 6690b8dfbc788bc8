package dev.leanws.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.JdkClient.Closed;
import dev.leanws.testing.JdkClient;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code chat}, started in-process on a free port, driven by the JDK's WebSocket and HTTP clients. */
@Timeout(60)
class ChatServerTest {

    private static final String GREETING = "{\"type\":\"info\",\"text\":\"welcome to leanws chat: choose a nickname"
            + " with /nick NAME (/help lists the commands)\"}";

    private ChatServer chat;

    private int start(int maxLength, int rateLimit) throws Exception {
        chat = ChatServer.start(new ChatServer.Settings("127.0.0.1", 0, maxLength, rateLimit));
        return chat.server().port();
    }

    @AfterEach
    void stop() {
        if (chat != null) {
            chat.close();
        }
    }

    /** A client that connected with chat.v1 and got the greeting. */
    private static JdkClient connect(int port) throws Exception {
        JdkClient client = JdkClient.open(port, ChatServer.SUBPROTOCOL);
        assertEquals(ChatServer.SUBPROTOCOL, client.socket().getSubprotocol());
        assertEquals(GREETING, client.nextText());
        return client;
    }

    /** A client that joined as {@code nick}; {@code others} see the join. */
    private static JdkClient join(int port, String nick, JdkClient... others) throws Exception {
        JdkClient client = connect(port);
        client.send("/nick " + nick);
        assertTrue(client.nextText().startsWith("{\"type\":\"welcome\",\"nick\":\"" + nick + "\""));
        for (JdkClient other : others) {
            assertEquals("{\"type\":\"join\",\"nick\":\"" + nick + "\"}", other.nextText());
        }
        return client;
    }

    @Test
    void noDeflateDeclinesCompression() throws Exception {
        assertTrue(ChatServer.settings(Flags.parse(new String[0], ChatServer.OPTIONS, 0), "127.0.0.1", 0).deflate());
        assertFalse(ChatServer.settings(Flags.parse(new String[] {"--no-deflate"}, ChatServer.OPTIONS, 0),
                "127.0.0.1", 0).deflate());
        for (boolean deflate : new boolean[] {true, false}) {
            if (chat != null) {
                chat.close();
            }
            chat = ChatServer.start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000, null, java.util.List.of(),
                    ChatServer.DEFAULT_BROADCAST_BUDGET, null, deflate));
            try (dev.leanws.client.WebSocketClient ws = dev.leanws.client.WebSocketClient.connect(
                    URI.create("ws://127.0.0.1:" + chat.server().port() + "/"),
                    dev.leanws.client.ClientConfig.builder().subprotocols(java.util.List.of(ChatServer.SUBPROTOCOL))
                            .deflate(dev.leanws.DeflateConfig.defaults()).build())) {
                assertEquals(deflate ? java.util.List.of("permessage-deflate") : java.util.List.of(), ws.extensions());
            }
        }
    }

    @Test
    void twoClientsChat() throws Exception {
        int port = start(1000, 1000);
        try (JdkClient ada = connect(port); JdkClient bob = connect(port)) {
            ada.send("hello?");
            assertEquals("{\"type\":\"error\",\"text\":\"choose a nickname first: /nick NAME\"}", ada.nextText());
            ada.send("/nick ada");
            assertEquals("{\"type\":\"welcome\",\"nick\":\"ada\",\"users\":[\"ada\"]}", ada.nextText());

            bob.send("/nick ADA");
            assertEquals("{\"type\":\"error\",\"text\":\"nickname ADA is taken\"}", bob.nextText());
            bob.send("/nick bob");
            assertEquals("{\"type\":\"welcome\",\"nick\":\"bob\",\"users\":[\"ada\",\"bob\"]}", bob.nextText());
            assertEquals("{\"type\":\"join\",\"nick\":\"bob\"}", ada.nextText());

            ada.send("hi \"bob\"\tsecond line");   // issue 11: no control characters reach others
            assertEquals("{\"type\":\"error\",\"text\":\"control characters (line breaks, tabs, direction overrides)"
                    + " are not allowed\"}", ada.nextText());
            ada.send("hi \"bob\"");
            String message = "{\"type\":\"message\",\"from\":\"ada\",\"text\":\"hi \\\"bob\\\"\"}";
            assertEquals(message, ada.nextText());
            assertEquals(message, bob.nextText());

            bob.send("/me waves");
            assertEquals("{\"type\":\"action\",\"from\":\"bob\",\"text\":\"waves\"}", ada.nextText());
            assertEquals("{\"type\":\"action\",\"from\":\"bob\",\"text\":\"waves\"}", bob.nextText());

            bob.send("/who");
            assertEquals("{\"type\":\"who\",\"users\":[\"ada\",\"bob\"]}", bob.nextText());

            ada.send("/nick Ada_2");
            assertEquals("{\"type\":\"nick\",\"old\":\"ada\",\"nick\":\"Ada_2\"}", ada.nextText());
            assertEquals("{\"type\":\"nick\",\"old\":\"ada\",\"nick\":\"Ada_2\"}", bob.nextText());

            bob.send("/quit");
            assertEquals(new Closed(1000, "quit"), bob.next(Closed.class));
            assertEquals("{\"type\":\"leave\",\"nick\":\"bob\",\"code\":1000,\"reason\":\"quit\"}", ada.nextText());
        }
    }

    @Test
    void privateMessagesReachOnlyTheRecipientAndTheSender() throws Exception {
        int port = start(1000, 1000);
        try (JdkClient ada = join(port, "ada");
                JdkClient bob = join(port, "bob", ada);
                JdkClient cy = join(port, "cy", ada, bob)) {
            ada.send("/msg BOB psst");   // nicknames are found ignoring case
            String whisper = "{\"type\":\"private\",\"from\":\"ada\",\"to\":\"bob\",\"text\":\"psst\"}";
            assertEquals(whisper, bob.nextText());
            assertEquals(whisper, ada.nextText());
            ada.send("/msg nobody hi");
            assertEquals("{\"type\":\"error\",\"text\":\"no one here is called nobody\"}", ada.nextText());
            ada.send("/msg bob");
            assertEquals("{\"type\":\"error\",\"text\":\"usage: /msg NICK TEXT\"}", ada.nextText());

            ada.send("public");   // cy's next message is this one: it never saw the whisper
            assertEquals("{\"type\":\"message\",\"from\":\"ada\",\"text\":\"public\"}", cy.nextText());
        }
    }

    @Test
    void refusesBadNicknamesAndUnknownCommands() throws Exception {
        int port = start(1000, 1000);
        try (JdkClient client = connect(port)) {
            for (String bad : new String[] {"/nick", "/nick two words", "/nick a<b", "/nick " + "x".repeat(21)}) {
                client.send(bad);
                assertEquals("{\"type\":\"error\",\"text\":\"a nickname is 1 to 20 letters, digits, '_' or '-'\"}",
                        client.nextText(), bad);
            }
            client.send("/nick Zoë-1");
            assertTrue(client.nextText().contains("\"welcome\""));
            client.send("/shout hi");
            assertEquals("{\"type\":\"error\",\"text\":\"unknown command /shout; /help lists them\"}", client.nextText());
            client.send("/help");
            assertTrue(client.nextText().startsWith("{\"type\":\"info\",\"text\":\"commands: /nick NAME"));
        }
    }

    @Test
    void closesAClientThatSendsTooFast() throws Exception {
        int port = start(1000, 5);   // bursts of 5 messages, then 5 per 10 s
        try (JdkClient ada = join(port, "ada"); JdkClient spammer = join(port, "spam", ada)) {
            for (int i = 1; i <= 11; i++) {   // /nick plus 11: past the burst even on a slow machine
                try {
                    spammer.send("m" + i);
                } catch (ExecutionException closed) {
                    break;   // the server closed the connection
                }
            }
            int said = 0;
            Object got;
            while ((got = spammer.next(Object.class)) instanceof String text) {
                assertEquals("{\"type\":\"message\",\"from\":\"spam\",\"text\":\"m" + (said + 1) + "\"}", text);
                said++;
            }
            assertEquals(new Closed(1008, "too many messages"), got);
            assertTrue(said >= 4 && said < 11, "the /nick and 4 messages fit the burst, 11 do not: " + said);
            for (int i = 0; i < said; i++) {
                ada.nextText();
            }
            assertEquals("{\"type\":\"leave\",\"nick\":\"spam\",\"code\":1008,\"reason\":\"too many messages\"}",
                    ada.nextText());
        }
    }

    @Test
    void limitsTheLengthOfALine() throws Exception {
        int port = start(10, 1000);
        try (JdkClient ada = join(port, "ada")) {
            ada.send("12345678901");
            assertEquals("{\"type\":\"error\",\"text\":\"message too long: 11 characters, at most 10\"}", ada.nextText());
            ada.send("😀".repeat(10));   // characters, not UTF-16 units or bytes
            assertEquals("{\"type\":\"message\",\"from\":\"ada\",\"text\":\"" + "😀".repeat(10) + "\"}", ada.nextText());
            ada.send("x".repeat(4 * 10 + 1024 + 1));   // over the frame limit: the library closes
            assertEquals(1009, ada.next(Closed.class).code());
        }
    }

    @Test
    void closesBinaryMessagesWith1003() throws Exception {
        int port = start(1000, 1000);
        try (JdkClient client = connect(port)) {
            client.send(new byte[] {1, 2, 3});
            assertEquals(new Closed(1003, "text messages only"), client.next(Closed.class));
        }
    }

    @Test
    void requiresTheSubprotocol() throws Exception {
        int port = start(1000, 1000);
        ExecutionException e = assertThrows(ExecutionException.class, () -> JdkClient.open(port));
        var refused = (WebSocketHandshakeException) e.getCause();
        assertEquals(400, refused.getResponse().statusCode());
        String response = rawUpgradeWithoutSubprotocol(port);
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.contains("\r\n\r\nSec-WebSocket-Protocol required: offer one of chat.v1"), response);
        e = assertThrows(ExecutionException.class, () -> JdkClient.open(port, "chat.v2"));
        assertEquals(400, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }

    /** The whole response to an upgrade request that offers no subprotocol (the server closes after it). */
    private static String rawUpgradeWithoutSubprotocol(int port) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesTheSelfContainedPageAtTheRoot() throws Exception {
        int port = start(1000, 1000);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(page.body().contains("<title>leanws chat</title>"));
            assertTrue(page.body().contains("\"chat.v1\""));
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                    .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }

    /** The page loads nothing from elsewhere: no URL with a scheme or protocol-relative host in it. */
    @Test
    void thePageHasNoExternalUrl() {
        String page = new String(ChatServer.page(), StandardCharsets.UTF_8);
        var external = Pattern.compile("(?i)(https?:|wss?:)?//[a-z0-9.-]+\\.[a-z]{2,}").matcher(page);
        assertNull(external.find() ? external.group() : null);
        assertTrue(!page.contains("src=") && !page.contains("@import"), "no script, image or style from elsewhere");
    }
}
