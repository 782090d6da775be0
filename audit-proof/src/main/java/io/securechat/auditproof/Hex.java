package io.securechat.auditproof;

/** Lowercase hexadecimal, the only form hashes take in the log, the API and exports. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    public static String of(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = DIGITS[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = DIGITS[b[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Accepts lowercase only: a hash has exactly one spelling, so an uppercase or mixed variant of a
     * stored hash is treated as a different value rather than silently normalised.
     */
    public static byte[] parse(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("hex string is missing");
        }
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("hex string has an odd length (" + hex.length() + ")");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (digit(hex, 2 * i) << 4 | digit(hex, 2 * i + 1));
        }
        return out;
    }

    static boolean isHash(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static int digit(String s, int i) {
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        throw new IllegalArgumentException("not a lowercase hex digit at position " + i + ": '" + c + "'");
    }
}
