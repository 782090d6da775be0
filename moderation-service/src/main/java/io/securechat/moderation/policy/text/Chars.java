package io.securechat.moderation.policy.text;

/** Character classes the text policies share. */
public final class Chars {

    private Chars() {}

    /**
     * Characters that show nothing and are used to split words or numbers invisibly: zero-width
     * space, non-joiner and joiner, word joiner and invisible operators, BOM, soft hyphen,
     * Mongolian vowel separator, bidi marks and controls, variation selectors, tag characters.
     */
    public static boolean ignorable(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F || cp == 0x1160 || cp == 0x17B4
                || cp == 0x17B5 || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF
                || cp == 0xFFA0 || (cp >= 0xE0000 && cp <= 0xE0FFF) || (cp >= 0x1BCA0 && cp <= 0x1BCA3);
    }

    /** Any space but the line breaks: no-break, thin, narrow, ideographic... */
    public static boolean space(int cp) {
        return cp != '\n' && cp != '\r' && (Character.isSpaceChar(cp) || cp == '\t');
    }

    /** Hyphens and dashes of any kind. */
    public static boolean dash(int cp) {
        return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D;
    }

    public static boolean asciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    public static boolean asciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
