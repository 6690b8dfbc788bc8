package dev.leanws.handshake;

import dev.leanws.DeflateConfig;
import dev.leanws.codec.DeflateParams;
import dev.leanws.http.internal.HttpParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Negotiation of permessage-deflate (RFC 7692 §5, §7.1), both roles. Pure: offers in, an
 * answer or a verdict out.
 *
 * <p>Server ({@link #negotiator}): the client's offers are read in its order of preference and
 * the first one this server can honour is accepted. An offer with an unknown parameter, a
 * parameter twice, or an invalid value is declined (§5), and the next one gets its turn; no
 * offer is declined for asking for a small window, since the compressor honours every window
 * from 8 to 15 bits. The answer carries:
 * <ul>
 *   <li>{@code server_no_context_takeover} if offered (§7.1.1.1: accepting it means answering it)
 *       or if the configuration asks for it;</li>
 *   <li>{@code client_no_context_takeover} if offered or if the configuration asks for it
 *       (§7.1.1.2 lets a server include it unconditionally; answered, it binds the client, and
 *       our inflater can be freed between messages);</li>
 *   <li>{@code server_max_window_bits} = the smaller of the offer and the configuration, when
 *       either is below 15 (§7.1.2.1: same or smaller than offered; may be answered unoffered);</li>
 *   <li>{@code client_max_window_bits} = the smaller of the offer's value and the configuration,
 *       only if the offer named the parameter and the result is below 15 (§7.1.2.2: never
 *       answered when not offered).</li>
 * </ul>
 *
 * <p>Client ({@link #offer}, {@link #checkResponse}): one offer from the configuration,
 * always naming {@code client_max_window_bits} (so the server may narrow our window). A
 * response that is not a valid acceptance of that offer fails the handshake: unknown,
 * repeated or malformed parameters, a window answered larger than offered or outside 8-15,
 * {@code client_max_window_bits} without a value, an offered {@code server_no_context_takeover}
 * or {@code server_max_window_bits} left out of the answer.
 */
public final class PerMessageDeflate {

    /** The extension's name. */
    public static final String NAME = "permessage-deflate";

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    private PerMessageDeflate() {
    }

    /** One offer or answer, read: which parameters it named, with which values (0: named without a value). */
    private record Read(boolean serverNoContext, boolean clientNoContext, Integer serverBits, Integer clientBits) {
        int serverBitsOr15() {
            return serverBits == null || serverBits == 0 ? 15 : serverBits;
        }

        int clientBitsOr15() {
            return clientBits == null || clientBits == 0 ? 15 : clientBits;
        }
    }

    /**
     * Reads the parameters of one element, or explains in words why they are invalid (unknown
     * name, repeated name, a value where none belongs, a window outside 8-15 or with a leading
     * zero; {@code server_max_window_bits} needs a value; {@code client_max_window_bits} needs one
     * in a response).
     */
    private static Read read(ExtensionOffer element, boolean response) throws InvalidParams {
        Set<String> seen = new HashSet<>();
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        Integer serverBits = null;
        Integer clientBits = null;
        for (ExtensionParam p : element.params()) {
            if (!seen.add(p.name())) {
                throw new InvalidParams("parameter " + p.name() + " appears twice");
            }
            switch (p.name()) {
                case SERVER_NO_CONTEXT_TAKEOVER -> {
                    noValue(p);
                    serverNoContext = true;
                }
                case CLIENT_NO_CONTEXT_TAKEOVER -> {
                    noValue(p);
                    clientNoContext = true;
                }
                case SERVER_MAX_WINDOW_BITS -> serverBits = windowBits(p, true);
                case CLIENT_MAX_WINDOW_BITS -> clientBits = windowBits(p, response);
                default -> throw new InvalidParams("unknown parameter " + p.name());
            }
        }
        return new Read(serverNoContext, clientNoContext, serverBits, clientBits);
    }

    private static void noValue(ExtensionParam p) throws InvalidParams {
        if (p.value().isPresent()) {
            throw new InvalidParams(p.name() + " takes no value, got " + p);
        }
    }

    /** RFC 7692 §7.1.2: "a decimal integer value without leading zeroes between 8 to 15, inclusive". 0 when absent and allowed. */
    private static int windowBits(ExtensionParam p, boolean valueRequired) throws InvalidParams {
        if (p.value().isEmpty()) {
            if (valueRequired) {
                throw new InvalidParams(p.name() + " needs a value");
            }
            return 0;
        }
        String v = p.value().get();
        if (v.length() == 1 && v.charAt(0) >= '8' && v.charAt(0) <= '9') {
            return v.charAt(0) - '0';
        }
        if (v.length() == 2 && v.charAt(0) == '1' && v.charAt(1) >= '0' && v.charAt(1) <= '5') {
            return 10 + v.charAt(1) - '0';
        }
        throw new InvalidParams(p.name() + " must be 8-15 without leading zeroes, got " + HeaderTokens.quote(v));
    }

    /** Why an element's parameters were refused. */
    static final class InvalidParams extends Exception {
        InvalidParams(String message) {
            super(message, null, false, false);
        }
    }

    // ------------------------------------------------------------------ server

    /**
     * The server's negotiator for this configuration: accepts the first acceptable
     * permessage-deflate offer as described in the class comment; accepts nothing when the
     * configuration is disabled or no offer is acceptable.
     */
    public static ExtensionNegotiator negotiator(DeflateConfig config) {
        if (!config.enabled()) {
            return ExtensionNegotiator.NONE;
        }
        return offers -> accept(offers, config).map(List::of).orElse(List.of());
    }

    /** The answer to the first acceptable offer, if any. */
    static Optional<ExtensionOffer> accept(List<ExtensionOffer> offers, DeflateConfig config) {
        for (ExtensionOffer offer : offers) {
            if (!offer.name().equals(NAME)) {
                continue;
            }
            Read r;
            try {
                r = read(offer, false);
            } catch (InvalidParams declined) {
                continue;   // §5: decline this offer, try the next
            }
            List<ExtensionParam> answer = new ArrayList<>();
            if (r.serverNoContext() || config.serverNoContextTakeover()) {
                answer.add(ExtensionParam.of(SERVER_NO_CONTEXT_TAKEOVER));
            }
            if (r.clientNoContext() || config.clientNoContextTakeover()) {
                // Echoing the client's hint makes it binding, and lets our inflater go between messages.
                answer.add(ExtensionParam.of(CLIENT_NO_CONTEXT_TAKEOVER));
            }
            int serverBits = Math.min(r.serverBitsOr15(), config.serverMaxWindowBits());
            if (r.serverBits() != null || serverBits < 15) {
                answer.add(ExtensionParam.of(SERVER_MAX_WINDOW_BITS, Integer.toString(serverBits)));
            }
            if (r.clientBits() != null) {
                int clientBits = Math.min(r.clientBitsOr15(), config.clientMaxWindowBits());
                if (clientBits < 15) {
                    answer.add(ExtensionParam.of(CLIENT_MAX_WINDOW_BITS, Integer.toString(clientBits)));
                }
            }
            return Optional.of(new ExtensionOffer(NAME, answer));
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ client

    /** The client's offer for this configuration (empty when disabled). */
    public static Optional<ExtensionOffer> offer(DeflateConfig config) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        List<ExtensionParam> params = new ArrayList<>();
        if (config.serverNoContextTakeover()) {
            params.add(ExtensionParam.of(SERVER_NO_CONTEXT_TAKEOVER));
        }
        if (config.clientNoContextTakeover()) {
            params.add(ExtensionParam.of(CLIENT_NO_CONTEXT_TAKEOVER));
        }
        if (config.serverMaxWindowBits() < 15) {
            params.add(ExtensionParam.of(SERVER_MAX_WINDOW_BITS, Integer.toString(config.serverMaxWindowBits())));
        }
        params.add(config.clientMaxWindowBits() < 15
                ? ExtensionParam.of(CLIENT_MAX_WINDOW_BITS, Integer.toString(config.clientMaxWindowBits()))
                : ExtensionParam.of(CLIENT_MAX_WINDOW_BITS));
        return Optional.of(new ExtensionOffer(NAME, params));
    }

    /**
     * Checks a server's answer against the offers we made: it must be a valid acceptance of at
     * least one of them.
     *
     * @return why it is not, or empty when it is
     */
    static Optional<String> checkResponse(ExtensionOffer answer, List<ExtensionOffer> offered) {
        Read a;
        try {
            a = read(answer, true);
        } catch (InvalidParams e) {
            return Optional.of(e.getMessage());
        }
        String why = "it accepts none of the offers";
        for (ExtensionOffer offer : offered) {
            if (!offer.name().equals(NAME)) {
                continue;
            }
            Read o;
            try {
                o = read(offer, false);
            } catch (InvalidParams e) {
                continue;   // we would not have sent it (ClientHandshake takes what it is given, though)
            }
            Optional<String> mismatch = mismatch(a, o);
            if (mismatch.isEmpty()) {
                return Optional.empty();
            }
            why = mismatch.get();
        }
        return Optional.of(why);
    }

    private static Optional<String> mismatch(Read answer, Read offer) {
        if (offer.serverNoContext() && !answer.serverNoContext()) {
            return Optional.of(SERVER_NO_CONTEXT_TAKEOVER + " was offered and not answered");
        }
        if (offer.serverBits() != null && answer.serverBits() == null) {
            return Optional.of(SERVER_MAX_WINDOW_BITS + " was offered and not answered");
        }
        if (answer.serverBits() != null && answer.serverBits() > offer.serverBitsOr15()) {
            return Optional.of(SERVER_MAX_WINDOW_BITS + "=" + answer.serverBits() + " is larger than offered");
        }
        if (answer.clientBits() != null) {
            if (offer.clientBits() == null) {
                return Optional.of(CLIENT_MAX_WINDOW_BITS + " was not offered");
            }
            if (answer.clientBits() > offer.clientBitsOr15()) {
                return Optional.of(CLIENT_MAX_WINDOW_BITS + "=" + answer.clientBits() + " is larger than offered");
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ both

    /**
     * The agreed parameters from the extensions a handshake settled on (as
     * {@link HandshakeResult.Accepted#extensions()} lists them), or empty when permessage-deflate
     * is not among them. The elements must have been validated by the handshake.
     *
     * @throws IllegalArgumentException for an element that is not a valid answer
     */
    public static Optional<DeflateParams> agreed(List<String> extensions) {
        for (String element : extensions) {
            List<ExtensionOffer> parsed;
            try {
                parsed = HeaderTokens.parseExtensions(element);
            } catch (HttpParseException e) {
                throw new IllegalArgumentException("not an extension element: " + element, e);
            }
            for (ExtensionOffer e : parsed) {
                if (e.name().equals(NAME)) {
                    try {
                        Read r = read(e, true);
                        return Optional.of(new DeflateParams(r.serverNoContext(), r.clientNoContext(),
                                r.serverBitsOr15(), r.clientBitsOr15()));
                    } catch (InvalidParams invalid) {
                        throw new IllegalArgumentException("invalid permessage-deflate answer " + element + ": "
                                + invalid.getMessage());
                    }
                }
            }
        }
        return Optional.empty();
    }
}
