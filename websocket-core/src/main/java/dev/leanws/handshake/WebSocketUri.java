package dev.leanws.handshake;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@code ws://} or {@code wss://} URI (RFC 6455 §3) means for a connection: where to
 * connect, and the {@code Host} header and request-target of the opening handshake.
 *
 * @param uri        the URI as given
 * @param secure     {@code wss://}: the connection needs TLS
 * @param host       the host to connect to and to name in SNI; an IPv6 literal without brackets
 * @param port       the URI's port, or the scheme's default (80, 443)
 * @param hostHeader the {@code Host} value: host (IPv6 in brackets), plus {@code :port} only when
 *                   it is not the default (RFC 6455 §4.1 item 4)
 * @param target     the request-target: the raw path ({@code /} when empty) and query, ASCII
 */
public record WebSocketUri(URI uri, boolean secure, String host, int port, String hostHeader, String target) {

    public WebSocketUri {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostHeader, "hostHeader");
        Objects.requireNonNull(target, "target");
    }

    /**
     * Reads a WebSocket URI. The scheme is matched ignoring case; user info is ignored (never
     * sent); non-ASCII characters in the path or query are percent-encoded as UTF-8.
     *
     * @throws IllegalArgumentException if the URI is not an absolute {@code ws}/{@code wss} URI
     *                                  with a server-based host, or has a fragment
     */
    public static WebSocketUri of(URI uri) {
        URI u = URI.create(uri.toASCIIString());
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
        }
        if (u.getHost() == null) {
            // Also a host that java.net.URI cannot read as one (an underscore, say), as the JDK client.
            throw new IllegalArgumentException("URI has no host: " + uri);
        }
        if (u.getRawFragment() != null) {
            // RFC 6455 §3: fragment identifiers MUST NOT be used on WebSocket URIs.
            throw new IllegalArgumentException("a WebSocket URI has no fragment: " + uri);
        }
        boolean secure = scheme.equals("wss");
        int defaultPort = secure ? 443 : 80;
        int port = u.getPort() == -1 ? defaultPort : u.getPort();
        String rawHost = u.getHost();
        boolean ipv6 = rawHost.indexOf(':') >= 0;
        String host = ipv6 && rawHost.startsWith("[") ? rawHost.substring(1, rawHost.length() - 1) : rawHost;
        String hostHeader = (ipv6 ? "[" + host + "]" : host) + (port == defaultPort ? "" : ":" + port);
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        String target = u.getRawQuery() == null ? path : path + "?" + u.getRawQuery();
        return new WebSocketUri(uri, secure, host, port, hostHeader, target);
    }
}
