package io.securechat.moderation.scan;

/**
 * What a file's first bytes say it is, never what its name or the client says. Pure.
 */
public enum Magic {
    PNG, JPEG, GIF, WEBP, PDF, ZIP, OLE2,
    /** PE/DOS (MZ), ELF, Mach-O (and universal binaries), Java class, Android DEX, WebAssembly. */
    EXECUTABLE,
    /** A {@code #!} script. */
    SCRIPT,
    /** gzip, bzip2, xz, zstd, 7-Zip, RAR, CAB, tar: archives the scanner does not open. */
    OTHER_ARCHIVE,
    /** None of the above: text if the whole file is UTF-8 without NUL bytes, else an unknown binary. */
    UNKNOWN;

    /** Bytes enough to tell every kind apart (tar's magic sits at offset 257). */
    public static final int HEAD = 512;

    /** The kind the first {@code len} bytes of {@code b} (at most {@link #HEAD} are looked at) announce. */
    public static Magic of(byte[] b, int len) {
        if (starts(b, len, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (starts(b, len, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (starts(b, len, 'G', 'I', 'F', '8', '7', 'a') || starts(b, len, 'G', 'I', 'F', '8', '9', 'a')) {
            return GIF;
        }
        if (starts(b, len, 'R', 'I', 'F', 'F') && at(b, len, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        if (starts(b, len, '%', 'P', 'D', 'F', '-')) {
            return PDF;
        }
        if (starts(b, len, 'P', 'K', 3, 4) || starts(b, len, 'P', 'K', 5, 6) || starts(b, len, 'P', 'K', 7, 8)) {
            return ZIP;
        }
        if (starts(b, len, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return OLE2;
        }
        if (executable(b, len)) {
            return EXECUTABLE;
        }
        if (starts(b, len, '#', '!')) {
            return SCRIPT;
        }
        if (starts(b, len, 0x1F, 0x8B) || starts(b, len, 'B', 'Z', 'h') || starts(b, len, 0xFD, '7', 'z', 'X', 'Z', 0)
                || starts(b, len, 0x28, 0xB5, 0x2F, 0xFD) || starts(b, len, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)
                || starts(b, len, 'R', 'a', 'r', '!', 0x1A, 0x07) || starts(b, len, 'M', 'S', 'C', 'F', 0, 0, 0, 0)
                || at(b, len, 257, 'u', 's', 't', 'a', 'r')) {
            return OTHER_ARCHIVE;
        }
        return UNKNOWN;
    }

    private static boolean executable(byte[] b, int len) {
        if (starts(b, len, 'M', 'Z')) {
            // A DOS/PE header has NUL bytes in its first 64; a text file that happens to start with "MZ" has none.
            for (int i = 2; i < Math.min(len, 64); i++) {
                if (b[i] == 0) {
                    return true;
                }
            }
            return len < 64 && len > 2 && !printable(b, len);
        }
        return starts(b, len, 0x7F, 'E', 'L', 'F')
                || starts(b, len, 0xFE, 0xED, 0xFA, 0xCE) || starts(b, len, 0xFE, 0xED, 0xFA, 0xCF)
                || starts(b, len, 0xCE, 0xFA, 0xED, 0xFE) || starts(b, len, 0xCF, 0xFA, 0xED, 0xFE)
                || starts(b, len, 0xCA, 0xFE, 0xBA, 0xBE) // Mach-O universal binary, or a Java class: both run
                || starts(b, len, 'd', 'e', 'x', '\n') || starts(b, len, 0, 'a', 's', 'm');
    }

    private static boolean printable(byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x09 || (c > 0x0D && c < 0x20)) {
                return false;
            }
        }
        return true;
    }

    private static boolean starts(byte[] b, int len, int... magic) {
        return at(b, len, 0, magic);
    }

    private static boolean at(byte[] b, int len, int offset, int... magic) {
        if (len < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
