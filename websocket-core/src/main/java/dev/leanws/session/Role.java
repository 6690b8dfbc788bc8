package dev.leanws.session;

/**
 * Which end of the connection we are. The two roles differ only in masking (RFC 6455 §5.1,
 * §5.3) and in who closes the TCP connection first (§7.1.1: the server).
 */
public enum Role {
    CLIENT,
    SERVER;

    /** A client masks every frame it sends; a server never does. */
    public boolean masksOutgoing() {
        return this == CLIENT;
    }

    /** A server requires masked frames; a client requires unmasked ones. */
    public boolean expectsMaskedIncoming() {
        return this == SERVER;
    }

    /** After the closing handshake the server closes TCP at once; the client waits for it. */
    public boolean closesTcpFirst() {
        return this == SERVER;
    }
}
