package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.UpgradeConfig;
import dev.leanws.event.EventManager;
import dev.leanws.event.TextEvent;
import dev.leanws.handshake.WebSocketUri;
import dev.leanws.runtime.Watchdog;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Which URIs the client takes and where they lead: IPv4, IPv6 literals, host names, default ports, wss. */
class AddressingTest {

    @Test
    void connectsToAnIpv6Literal() throws Exception {
        InetAddress ipv6 = InetAddress.getByName("::1");
        Assumptions.assumeTrue(canBind(ipv6), "no IPv6 loopback on this machine");
        EventManager events = new EventManager();
        try (EchoServer server = EchoServer.start(ipv6, UpgradeConfig.defaults());
                EventRecorder recorder = new EventRecorder(events)) {
            URI uri = URI.create("ws://[::1]:" + server.port() + "/v6?q=1");
            try (WebSocketClient ws = WebSocketClient.connect(uri, ClientConfig.builder().events(events).build())) {
                assertTrue(ws.remoteAddress().getAddress() instanceof Inet6Address);
                ws.send("over v6");
                recorder.skipTo(TextEvent.class);
                assertEquals("[::1]:" + server.port(),
                        server.requests().poll(5, TimeUnit.SECONDS).headers().first("Host").orElseThrow());
            }
        }
    }

    @Test
    void connectsToLocalhostByName() throws Exception {
        try (EchoServer server = EchoServer.start();
                WebSocketClient ws = WebSocketClient.connect(URI.create("ws://localhost:" + server.port() + "/"))) {
            assertEquals("localhost:" + server.port(),
                    server.requests().poll(5, TimeUnit.SECONDS).headers().first("Host").orElseThrow());
            assertTrue(ws.isOpen());
        }
    }

    @Test
    void defaultPortIs80AndIsLeftOutOfTheHostHeader() throws Exception {
        // Binding port 80 in a test is not ours to do; a connector that records its target proves where we would go.
        WebSocketUri[] seen = new WebSocketUri[1];
        Connector recording = (target, deadline) -> {
            seen[0] = target;
            throw new IOException("recorded");
        };
        Dialer dialer = new Dialer(URI.create("ws://example.test/chat?a=b"), ClientConfig.defaults(), recording,
                Watchdog.shared());
        assertThrows(IOException.class, () -> SupervisedClient.connect(dialer, ClientConfig.defaults(), new java.util.SplittableRandom()));
        assertEquals(80, seen[0].port());
        assertEquals("example.test", seen[0].hostHeader());
        assertEquals("/chat?a=b", seen[0].target());
    }

    @Test
    void wssRunsOverTlsOnPort443ByDefault() {
        var target = dev.leanws.handshake.WebSocketUri.of(URI.create("wss://example.test/"));
        assertEquals(443, target.port());
        assertEquals("example.test", target.hostHeader());
        assertTrue(Connector.forTarget(target, ClientConfig.defaults()) instanceof TlsConnector);
        assertTrue(Connector.forTarget(dev.leanws.handshake.WebSocketUri.of(URI.create("ws://example.test/")),
                ClientConfig.defaults()) instanceof PlainConnector);
    }

    @Test
    void otherSchemesAndFragmentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> WebSocketClient.connect(URI.create("http://example.test/")));
        assertThrows(IllegalArgumentException.class, () -> WebSocketClient.connect(URI.create("ws://example.test/#frag")));
        assertThrows(IllegalArgumentException.class, () -> WebSocketClient.connect(URI.create("ws:/no-host")));
    }

    private static boolean canBind(InetAddress address) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
