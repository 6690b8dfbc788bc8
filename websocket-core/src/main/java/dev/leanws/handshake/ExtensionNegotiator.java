package dev.leanws.handshake;

import java.util.List;

/**
 * The server's side of extension negotiation (RFC 6455 §9.1): given the client's offers, in
 * the client's order of preference, it returns the elements to put in the 101's
 * {@code Sec-WebSocket-Extensions}, in the order the extensions apply.
 *
 * <p>This is the seam where permessage-deflate (RFC 7692) plugs in: it reads the offers,
 * declines those it cannot honour, and answers the parameters it agrees to.
 * {@link ServerHandshake} checks that every answered name was offered, because RFC 6455 §9.1
 * forbids a server to answer an extension the client did not ask for.
 */
@FunctionalInterface
public interface ExtensionNegotiator {

    /** Accepts nothing: the connection runs without extensions. */
    ExtensionNegotiator NONE = offers -> List.of();

    /**
     * @param offers the parsed offers, never empty
     * @return the accepted elements (empty to accept none)
     */
    List<ExtensionOffer> negotiate(List<ExtensionOffer> offers);
}
