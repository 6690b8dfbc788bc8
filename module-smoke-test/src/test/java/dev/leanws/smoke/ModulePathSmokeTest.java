package dev.leanws.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.client.WebSocketClient;
import dev.leanws.server.WebSocketServer;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path (surefire's {@code useModulePath}): the application, the server, the
 * client, core and slf4j are named modules resolved from their descriptors.
 */
class ModulePathSmokeTest {

    @Test
    void anApplicationModuleEchoesOneMessageThroughTheServerAndTheClient() throws Exception {
        assertEquals("hello over the module path", EchoOnce.echo("hello over the module path"));
    }

    /** Not a class-path run in disguise: every module is named, and the descriptors hold. */
    @Test
    void theModulesAreNamedAndExportOnlyTheirApi() {
        Module smoke = EchoOnce.class.getModule();
        Module server = WebSocketServer.class.getModule();
        Module client = WebSocketClient.class.getModule();
        Module core = dev.leanws.WebSocket.class.getModule();
        assertEquals("dev.leanws.smoke", smoke.getName());
        assertEquals("dev.leanws.server", server.getName());
        assertEquals("dev.leanws.client", client.getName());
        assertEquals("dev.leanws.core", core.getName());
        assertTrue(smoke.canRead(core), "requires transitive dev.leanws.core, through the server and the client");
        assertTrue(core.isExported("dev.leanws.event"));
        assertFalse(core.isExported("dev.leanws.codec", smoke), "the codec is exported to the server and the client only");
        assertTrue(core.isExported("dev.leanws.codec", server));
        assertFalse(server.getDescriptor().isAutomatic());
    }
}
