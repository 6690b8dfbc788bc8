package dev.leanws.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.JdkClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 11: the chat under hostile users (F2, W2). */
@Timeout(120)
class ChatHardeningTest {

    private ChatServer chat;

    private int start(ChatServer.Settings settings) throws Exception {
        chat = ChatServer.start(settings);
        return chat.server().port();
    }

    @AfterEach
    void stop() {
        if (chat != null) {
            chat.close();
        }
    }

    private static JdkClient join(int port, String nick) throws Exception {
        JdkClient client = JdkClient.open(port, ChatServer.SUBPROTOCOL);
        client.nextText();   // greeting
        client.send("/nick " + nick);
        assertTrue(client.nextText().startsWith("{\"type\":\"welcome\""));
        return client;
    }

    /** A raw upgrade with chat.v1 and extra header lines; returns the status line and keeps the socket. */
    private static String upgrade(Socket socket, int port, String... extra) throws IOException {
        socket.setSoTimeout(10_000);
        if (!socket.isConnected()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        }
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: chat.v1\r\n");
        for (String line : extra) {
            request.append(line).append("\r\n");
        }
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString().lines().findFirst().orElse("");
    }

    /** A masked text frame, as a client sends it. */
    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] key = {1, 2, 3, 4};
        int header = payload.length < 126 ? 2 : 4;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) 0x81;
        if (header == 2) {
            frame[1] = (byte) (0x80 | payload.length);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(key, 0, frame, header, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ key[i & 3]);
        }
        return frame;
    }

    /**
     * F2: a user who never reads gets private messages from an honest user until his queue is
     * full; the honest user's round trips stay under a second throughout (the send to the
     * stalled user is refused at once, and the sender is told), instead of waiting for the
     * write timeout on the sender's thread.
     */
    @Test
    void aStalledUserNeverStallsTheSenderOfAPrivateMessage() throws Exception {
        int port = start(new ChatServer.Settings("127.0.0.1", 0, 100_000, 1_000_000));
        try (Socket stalled = new Socket(); JdkClient ada = join(port, "ada")) {
            stalled.setReceiveBufferSize(4096);
            assertEquals("HTTP/1.1 101 Switching Protocols", upgrade(stalled, port));
            stalled.getOutputStream().write(maskedText("/nick stalled"));
            ada.nextText();   // stalled joined
            String text = "x".repeat(60_000);
            long worst = 0;
            int refused = 0;
            // 40 MB in all: more than the stalled user's 16 MiB queue and every socket buffer between.
            for (int i = 0; i < 700 && refused < 3; i++) {
                long t0 = System.nanoTime();
                ada.send("/msg stalled " + text);
                String answer = ada.nextText();
                worst = Math.max(worst, System.nanoTime() - t0);
                if (answer.contains("is not reading")) {
                    refused++;
                } else {
                    assertTrue(answer.startsWith("{\"type\":\"private\""), answer);
                }
            }
            assertTrue(refused > 0, "the stalled user's queue never filled");
            assertTrue(worst < TimeUnit.SECONDS.toNanos(1), "the sender's worst round trip was " + worst / 1_000_000 + " ms");
            if (Boolean.getBoolean("leanws.hostile.figures")) {
                System.out.println("F2: the sender's worst /msg round trip while the recipient stalled: "
                        + worst / 1_000_000 + " ms");
            }
        }
    }

    @Test
    void controlCharactersNeverReachOtherUsers() throws Exception {
        int port = start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000));
        try (JdkClient ada = join(port, "ada"); JdkClient bob = join(port, "bob")) {
            assertEquals("{\"type\":\"join\",\"nick\":\"bob\"}", ada.nextText());
            for (String line : List.of("hi\n{\"type\":\"join\",\"nick\":\"eve\"}", "bob joined\r", "\u202Eevil", "a\u2028b",
                    "/me waves\nada left", "\u0007")) {
                bob.send(line);
                assertTrue(bob.nextText().contains("control characters"), line);
            }
            bob.send("plain");
            assertEquals("{\"type\":\"message\",\"from\":\"bob\",\"text\":\"plain\"}", ada.nextText());
            bob.socket().sendClose(1000, "bye\nada left").get(5, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"message\",\"from\":\"bob\",\"text\":\"plain\"}", bob.nextText());
            assertEquals("{\"type\":\"leave\",\"nick\":\"bob\",\"code\":1000,\"reason\":\"byeada left\"}", ada.nextText());
        }
    }

    @Test
    void nicknamesThatLookAlikeAreOneNickname() throws Exception {
        int port = start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000));
        try (JdkClient ada = join(port, "ada"); JdkClient ace = join(port, "ace");
                JdkClient eve = JdkClient.open(port, ChatServer.SUBPROTOCOL)) {
            eve.nextText();
            eve.send("/nick \u0430d\u0430");   // Cyrillic а, Latin d, Cyrillic а
            assertEquals("{\"type\":\"error\",\"text\":\"a nickname is written in one script (\u0430d\u0430 mixes cyrillic"
                    + " and latin)\"}", eve.nextText());
            for (String lookAlike : List.of("ADA", "\uFF41\uFF44\uFF41", "\u0430\u0441\u0435", "AcE")) {   // fullwidth; Cyrillic асе
                eve.send("/nick " + lookAlike);
                assertEquals("{\"type\":\"error\",\"text\":\"nickname " + lookAlike + " is taken\"}", eve.nextText());
            }
            eve.send("/nick \u0434\u0430\u0448\u0430");   // Cyrillic даша: one script, like no one here
            assertTrue(eve.nextText().startsWith("{\"type\":\"welcome\",\"nick\":\"\u0434\u0430\u0448\u0430\""));
            assertFalse(ada.socket().isInputClosed() || ace.socket().isInputClosed(), "the holders stay connected");
        }
    }

    @Test
    void onlyTheChatsOwnPageMayConnectUnlessAllowed() throws Exception {
        int port = start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000));
        try (Socket evil = new Socket(); Socket own = new Socket(); Socket program = new Socket()) {
            assertTrue(upgrade(evil, port, "Origin: https://evil.example").startsWith("HTTP/1.1 403 "));
            assertEquals("HTTP/1.1 101 Switching Protocols", upgrade(own, port, "Origin: http://127.0.0.1:" + port));
            assertEquals("HTTP/1.1 101 Switching Protocols", upgrade(program, port));   // no Origin: not a browser
        }
        chat.close();
        port = start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000, null, List.of("https://friend.example"),
                ChatServer.DEFAULT_BROADCAST_BUDGET));
        try (Socket friend = new Socket(); Socket evil = new Socket()) {
            assertEquals("HTTP/1.1 101 Switching Protocols", upgrade(friend, port, "Origin: https://friend.example"));
            assertTrue(upgrade(evil, port, "Origin: https://evil.example").startsWith("HTTP/1.1 403 "));
        }
    }

    @Test
    void broadcastWorkPerUserIsBudgeted() throws Exception {
        // 8 KiB of broadcast work per 10 s; each line below costs about 2 x 1 KiB (two members).
        int port = start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000, null, List.of(), 8 * 1024));
        try (JdkClient ada = join(port, "ada"); JdkClient bob = join(port, "bob")) {
            assertEquals("{\"type\":\"join\",\"nick\":\"bob\"}", ada.nextText());
            String line = "y".repeat(1000);
            int delivered = 0;
            for (int i = 0; i < 10; i++) {
                bob.send(line);
                String answer = bob.nextText();
                if (answer.contains("more than the room can carry")) {
                    break;
                }
                delivered++;
                assertTrue(ada.nextText().contains(line));
            }
            assertTrue(delivered >= 3 && delivered <= 4, delivered + " lines before the budget ran out");
        }
    }
}
