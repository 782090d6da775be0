package io.securechat.moderation.scan;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A zip's central directory, read from the bytes: the list of entries that Windows, macOS and
 * Office show and open. The scan inflates entries in file order with {@code ZipInputStream}
 * (which reads the local headers); comparing both closes the gaps between the two views that
 * evasions use: entries only the directory lists (hidden behind junk that stops a streaming
 * reader), entries that overlap one another (the non-recursive zip bomb reuses one compressed
 * stream for thousands of entries), encrypted entries and compression methods that cannot be
 * inflated here. Sizes in the directory are not trusted for anything but the overlap check.
 */
final class ZipDirectory {

    record Entry(String name, int flags, int method, long compressedSize, long localOffset) {}

    /** A zip that cannot be checked; carries the verdict. */
    static final class Unreadable extends Exception {
        final ScanVerdict verdict;

        Unreadable(ScanVerdict verdict) {
            super(verdict.reason(), null, false, false);
            this.verdict = verdict;
        }
    }

    private static final int EOCD = 0x06054b50;
    private static final int CEN = 0x02014b50;
    private static final int LOC = 0x04034b50;
    static final Charset CP437 = cp437();

    private ZipDirectory() {}

    private static Charset cp437() {
        try {
            return Charset.forName("IBM437");
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    static List<Entry> read(byte[] b) throws Unreadable {
        int len = b.length;
        int eocd = -1;
        for (int i = len - 22; i >= Math.max(0, len - 22 - 0xFFFF); i--) {
            if (i32(b, i) == EOCD) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw malformed("the zip has no central directory (damaged or cut short)");
        }
        int diskNumber = u16(b, eocd + 4);
        int cdDisk = u16(b, eocd + 6);
        int total = u16(b, eocd + 10);
        long cdSize = u32(b, eocd + 12);
        long cdOffset = u32(b, eocd + 16);
        if (diskNumber != 0 || cdDisk != 0) {
            throw unsupported("split (multi-part) zips cannot be checked");
        }
        if (total == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            throw unsupported("ZIP64 archives cannot be checked; a zip under 10 MiB does not need it");
        }
        if (cdOffset + cdSize > eocd) {
            throw malformed("the zip's central directory lies outside the file");
        }
        List<Entry> entries = new ArrayList<>();
        int p = (int) cdOffset;
        int end = (int) (cdOffset + cdSize);
        for (int i = 0; i < total; i++) {
            if (p + 46 > end || i32(b, p) != CEN) {
                throw malformed("the zip's central directory is damaged");
            }
            int flags = u16(b, p + 8);
            int method = u16(b, p + 10);
            long compressed = u32(b, p + 20);
            int nameLen = u16(b, p + 28);
            int extraLen = u16(b, p + 30);
            int commentLen = u16(b, p + 32);
            long local = u32(b, p + 42);
            if (p + 46 + nameLen > end) {
                throw malformed("the zip's central directory is damaged");
            }
            String name = new String(b, p + 46, nameLen, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : CP437);
            entries.add(new Entry(name, flags, method, compressed, local));
            p += 46 + nameLen + extraLen + commentLen;
        }
        check(b, entries, cdOffset);
        return entries;
    }

    private static void check(byte[] b, List<Entry> entries, long cdOffset) throws Unreadable {
        for (Entry e : entries) {
            if ((e.flags() & 1) != 0 || e.method() == 99) {
                throw new Unreadable(ScanVerdict.blocked(ScanVerdict.ARCHIVE_ENCRYPTED,
                        "the archive is password-protected, so its files cannot be checked; send them without a password"));
            }
            if (e.method() != 0 && e.method() != 8) {
                throw unsupported("the archive uses a compression method that cannot be checked; use ordinary (deflate) zip");
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::localOffset));
        for (int i = 0; i < byOffset.size(); i++) {
            Entry e = byOffset.get(i);
            long at = e.localOffset();
            if (at + 30 > cdOffset || i32(b, (int) at) != LOC) {
                throw malformed("the zip's central directory points at no file");
            }
            long dataEnd = at + 30 + u16(b, (int) at + 26) + u16(b, (int) at + 28) + e.compressedSize();
            long next = i + 1 < byOffset.size() ? byOffset.get(i + 1).localOffset() : cdOffset;
            if (dataEnd > next) {
                // Two entries sharing bytes: the construction of the overlapping (non-recursive) zip bomb.
                throw new Unreadable(ScanVerdict.malware(ScanVerdict.ZIP_BOMB,
                        "the archive is built to expand far beyond its size (overlapping files): a zip bomb"));
            }
        }
    }

    private static Unreadable malformed(String message) {
        return new Unreadable(ScanVerdict.blocked(ScanVerdict.MALFORMED, message));
    }

    private static Unreadable unsupported(String message) {
        return new Unreadable(ScanVerdict.blocked(ScanVerdict.ARCHIVE_UNSUPPORTED, message));
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    static int i32(byte[] b, int i) {
        if (i < 0 || i + 4 > b.length) {
            return 0;
        }
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    static long u32(byte[] b, int i) {
        return i32(b, i) & 0xFFFFFFFFL;
    }
}
