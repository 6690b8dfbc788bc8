package dev.leanws.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the PEM files that ACME tools (certbot, lego, acme.sh) and {@code openssl} write: a
 * certificate chain ({@code fullchain.pem}: the server's certificate first, then its
 * intermediates) and an unencrypted PKCS#8 private key ({@code privkey.pem},
 * {@code -----BEGIN PRIVATE KEY-----}) for RSA, EC (or EdDSA) keys. Only the JDK's
 * {@code java.security} is used.
 *
 * <pre>{@code
 * List<X509Certificate> chain = Pem.readCertificates(Path.of("/etc/letsencrypt/live/example.com/fullchain.pem"));
 * PrivateKey key = Pem.readPrivateKey(Path.of("/etc/letsencrypt/live/example.com/privkey.pem"));
 * KeyStore store = Pem.keyStore(chain, key);   // for a KeyManagerFactory
 * }</pre>
 */
public final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    /** Key algorithms tried in turn: PKCS#8 names its algorithm, but only as an OID. */
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "EdDSA"};

    private Pem() {
    }

    /** A PEM block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}...) and its decoded bytes. */
    record Block(String label, byte[] der) {
    }

    /**
     * The certificates of a PEM file, in file order (text outside the blocks is ignored).
     *
     * @throws IOException if the file cannot be read, holds no certificate or a malformed one
     *                     (the message names the file)
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.label().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": malformed certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + ": no -----BEGIN CERTIFICATE----- block");
        }
        return certificates;
    }

    /**
     * The private key of a PEM file: an unencrypted PKCS#8 {@code PRIVATE KEY} block (RSA, EC,
     * EdDSA).
     *
     * @throws IOException if the file cannot be read or holds no usable key; for a PKCS#1
     *                     ({@code RSA PRIVATE KEY}), SEC 1 ({@code EC PRIVATE KEY}) or encrypted
     *                     key, the message says how to convert it
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        for (Block b : blocks(file)) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, b.der());
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException(file + ": a " + b.label()
                        + " (PKCS#1/SEC 1) key; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in "
                        + file.getFileName() + " -out key.pem");
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file + ": an encrypted key; decrypt it with: "
                        + "openssl pkcs8 -in " + file.getFileName() + " -out key.pem");
                default -> {
                    // another block (a certificate in a combined file): keep looking
                }
            }
        }
        throw new IOException(file + ": no -----BEGIN PRIVATE KEY----- block");
    }

    /**
     * A PKCS#12 key store in memory holding one key entry (alias {@code "key"}) with an empty
     * password, for a {@link javax.net.ssl.KeyManagerFactory}.
     */
    public static KeyStore keyStore(List<X509Certificate> chain, PrivateKey key) throws GeneralSecurityException {
        KeyStore store = emptyStore();
        store.setKeyEntry("key", key, new char[0], chain.toArray(new Certificate[0]));
        return store;
    }

    /** A key store in memory that trusts each certificate of {@code caFile}, for a {@link javax.net.ssl.TrustManagerFactory}. */
    public static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = emptyStore();
        int i = 0;
        for (X509Certificate ca : readCertificates(caFile)) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        return store;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        return store;
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // not this algorithm: try the next
            }
        }
        throw new IOException(file + ": a PKCS#8 key of an unsupported algorithm (RSA, EC and EdDSA are)");
    }

    /** The PEM blocks of a file, in order. */
    static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while ((at = text.indexOf(BEGIN, at)) >= 0) {
            int labelEnd = text.indexOf("-----", at + BEGIN.length());
            if (labelEnd < 0) {
                break;
            }
            String label = text.substring(at + BEGIN.length(), labelEnd);
            String endMarker = END + label + "-----";
            int end = text.indexOf(endMarker, labelEnd);
            if (end < 0) {
                throw new IOException(file + ": " + BEGIN + label + "----- without its end line");
            }
            String body = text.substring(labelEnd + 5, end);
            if (body.contains(":")) {
                throw new IOException(file + ": an encrypted (Proc-Type) " + label + " block; decrypt it first");
            }
            try {
                blocks.add(new Block(label, Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": malformed base64 in a " + label + " block", e);
            }
            at = end + endMarker.length();
        }
        return blocks;
    }
}
