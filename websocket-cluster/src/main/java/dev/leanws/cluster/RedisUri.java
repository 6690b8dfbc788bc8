package dev.leanws.cluster;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where Redis is and how to log in, from {@code redis://[[user]:password@]host[:port][/db]} or
 * {@code rediss://...} (TLS). As in the usual Redis clients, {@code redis://secret@host} (no
 * colon) means a password for the default user; percent-escapes in the user and password are
 * decoded. The port defaults to 6379, the database to 0.
 */
record RedisUri(boolean tls, String host, int port, String user, String password, int database) {

    static final int DEFAULT_PORT = 6379;

    static RedisUri parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a Redis URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))) {
            throw new IllegalArgumentException("a Redis URL starts with redis:// or rediss://, not " + url);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in the Redis URL " + redacted(uri));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("query and fragment are not supported in a Redis URL: " + redacted(uri));
        }
        String user = null;
        String password = null;
        String info = uri.getUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                password = info;
            } else {
                user = colon == 0 ? null : info.substring(0, colon);
                password = info.substring(colon + 1);
            }
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the path of a Redis URL is a database number, not " + path);
            }
            if (database < 0) {
                throw new IllegalArgumentException("negative database number in " + redacted(uri));
            }
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        return new RedisUri(scheme.equalsIgnoreCase("rediss"), host, port, user, password, database);
    }

    private static String redacted(URI uri) {
        return uri.getScheme() + "://" + (uri.getRawUserInfo() != null ? "***@" : "") + uri.getRawAuthority()
                .substring(uri.getRawUserInfo() != null ? uri.getRawUserInfo().length() + 1 : 0) + uri.getRawPath();
    }

    /** The URL without its password, for messages and logs. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        String login = password == null ? "" : (user == null ? "" : user) + ":***@";
        return (tls ? "rediss://" : "redis://") + login + h + ":" + port + (database == 0 ? "" : "/" + database);
    }
}
