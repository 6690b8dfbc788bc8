package dev.leanws.server;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's key manager when it has several certificates: for each handshake it picks the
 * certificate whose DNS names (subject alternative names, {@code *.} wildcards over one label)
 * match the host name the client sent in SNI, among those whose key fits the signature the
 * handshake needs (RSA, EC...); the first fitting one when no name matches or there is no SNI.
 * A name match wins over the client's preferred key type.
 * Aliases are the identities' indexes.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    /** One certificate chain, its key, and the DNS names it is valid for (lower case). */
    record Identity(String source, X509Certificate[] chain, PrivateKey key, List<String> names) {
    }

    private static final int SAN_DNS = 2;

    private final List<Identity> identities;

    SniKeyManager(List<Identity> identities) {
        this.identities = List.copyOf(identities);
    }

    static Identity identity(String source, List<X509Certificate> chain, PrivateKey key) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = chain.get(0).getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.get(0) instanceof Integer type && type == SAN_DNS) {
                        names.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable names: served only as the default
        }
        return new Identity(source, chain.toArray(new X509Certificate[0]), key, List.copyOf(names));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, sniHostName(engine.getHandshakeSession()));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, null);
    }

    /**
     * The JDK asks once per key type, in the order of the client's preferred signatures, and
     * takes the first answer: so when some certificate has the SNI name, only those are
     * offered, whatever their key type, and the others only when none has it.
     */
    private String choose(String keyType, String host) {
        String algorithm = keyAlgorithm(keyType);
        boolean named = host != null && identities.stream().anyMatch(id -> matches(id.names(), host));
        for (int i = 0; i < identities.size(); i++) {
            Identity id = identities.get(i);
            if (fits(id.key(), algorithm) && (!named || matches(id.names(), host))) {
                return Integer.toString(i);
            }
        }
        return null;
    }

    /** The key algorithm of a JSSE key type: {@code "EC_EC"} and {@code "EC"} are both EC keys. */
    private static String keyAlgorithm(String keyType) {
        int underscore = keyType.indexOf('_');
        return underscore < 0 ? keyType : keyType.substring(0, underscore);
    }

    private static boolean fits(PrivateKey key, String algorithm) {
        String have = key.getAlgorithm();
        if (have.equalsIgnoreCase(algorithm)) {
            return true;
        }
        boolean edwards = have.startsWith("Ed");
        return edwards && algorithm.equalsIgnoreCase("EdDSA");
    }

    static boolean matches(List<String> names, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String name : names) {
            if (name.equals(h)) {
                return true;
            }
            if (name.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot).equals(name.substring(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String sniHostName(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                    return ((SNIHostName) name).getAsciiName();
                }
            }
        }
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < identities.size(); i++) {
            if (fits(identities.get(i).key(), keyAlgorithm(keyType))) {
                aliases.add(Integer.toString(i));
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Identity id = byAlias(alias);
        return id == null ? null : id.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Identity id = byAlias(alias);
        return id == null ? null : id.key();
    }

    private Identity byAlias(String alias) {
        try {
            int i = Integer.parseInt(alias);
            return i >= 0 && i < identities.size() ? identities.get(i) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // A server's key manager chooses no client certificates.

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
