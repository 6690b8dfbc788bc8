package dev.leanws.handshake;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One element of a {@code Sec-WebSocket-Extensions} list (RFC 6455 §9.1): an extension name
 * and its parameters, e.g. {@code permessage-deflate; client_max_window_bits}. In a request it
 * is an offer; in a response, the same grammar states what the server accepted.
 *
 * <p>A client may offer one extension several times with different parameters, in order of
 * preference (RFC 7692 §5), so a list of offers can repeat a name.
 *
 * @param name   the extension name, a token
 * @param params its parameters, in order
 */
public record ExtensionOffer(String name, List<ExtensionParam> params) {

    public ExtensionOffer {
        Objects.requireNonNull(name, "name");
        if (!HeaderTokens.isToken(name)) {
            throw new IllegalArgumentException("extension name is not a token: \"" + name + "\"");
        }
        params = List.copyOf(params);
    }

    /** An element with these parameters. */
    public static ExtensionOffer of(String name, ExtensionParam... params) {
        return new ExtensionOffer(name, List.of(params));
    }

    /**
     * The first parameter with this name. Parameter names are compared exactly: RFC 7692 defines
     * them in lower case and a peer that spells them otherwise is not offering them.
     */
    public Optional<ExtensionParam> param(String paramName) {
        return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
    }

    /** The wire form: {@code name; p1; p2=v}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        for (ExtensionParam p : params) {
            sb.append("; ").append(p);
        }
        return sb.toString();
    }

    /**
     * The first of {@code answered} whose extension is not among {@code offered}, if any: RFC 6455
     * §9.1 lets a server answer only extensions the client offered.
     */
    static Optional<ExtensionOffer> firstNotOffered(List<ExtensionOffer> offered, List<ExtensionOffer> answered) {
        return answered.stream()
                .filter(a -> offered.stream().noneMatch(o -> o.name().equals(a.name())))
                .findFirst();
    }
}
