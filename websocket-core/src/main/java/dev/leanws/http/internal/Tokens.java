package dev.leanws.http.internal;

/**
 * The token grammar of HTTP/1.1 (RFC 7230 §3.2.6): which characters a token may hold, and how
 * peer input is quoted in error messages.
 */
public final class Tokens {

    /** tchar: {@code !#$%&'*+-.^_`|~}, digits and letters, as two 64-bit masks. */
    private static final long TCHAR_LO;
    private static final long TCHAR_HI;

    static {
        long lo = 0;
        long hi = 0;
        String chars = "!#$%&'*+-.^_`|~0123456789"
                + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (char c : chars.toCharArray()) {
            if (c < 64) {
                lo |= 1L << c;
            } else {
                hi |= 1L << (c - 64);
            }
        }
        TCHAR_LO = lo;
        TCHAR_HI = hi;
    }

    private Tokens() {
    }

    /** Whether {@code c} may appear in a token. */
    public static boolean isTokenChar(int c) {
        if (c < 64) {
            return c >= 0 && (TCHAR_LO & (1L << c)) != 0;
        }
        return c < 128 && (TCHAR_HI & (1L << (c - 64))) != 0;
    }

    /** Whether {@code s} is a token: one or more token characters. */
    public static boolean isToken(CharSequence s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Quotes peer input for an error message: at most 64 characters, anything but printable
     * ASCII escaped, so a refusal never echoes a whole head or a control character.
     */
    public static String quote(String s) {
        String shown = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02X", (int) c));
        }
        return sb.append('"').toString();
    }
}
