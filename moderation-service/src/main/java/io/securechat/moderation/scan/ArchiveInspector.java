package io.securechat.moderation.scan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Looks inside a zip (and the zips, OOXML documents and OLE2 files inside it) without writing
 * anything to disk: every entry is inflated as a stream through counters, its first bytes tell
 * what it is, and its bytes run through the signatures. Limits hold across every level together:
 * entries, inflated bytes (counted as they come out of the inflater, never taken from a header),
 * the ratio of one entry's inflated to compressed bytes, and the depth of archives in archives.
 * Only an entry that is itself an archive or an OLE2 file is held in memory, up to
 * {@code chat.scan.max-bytes}, to be opened in turn.
 */
final class ArchiveInspector {

    /** Markers of a macro-enabled OOXML package in its {@code [Content_Types].xml}. */
    private static final Signatures MACRO_MARKERS = new Signatures(List.of(
            new Signatures.Signature("macro_enabled", "macroEnabled".getBytes(StandardCharsets.US_ASCII)),
            new Signatures.Signature("vba_project", "vbaProject".getBytes(StandardCharsets.US_ASCII))));
    /** The ratio check starts once an entry inflated this much: small XML parts compress very well and are harmless. */
    static final long RATIO_FLOOR = 1 << 20;
    private static final int BUFFER = 64 * 1024;

    private final ScanConfig.Archive limits;
    private final int maxNestedBytes;
    private final Signatures signatures;

    ArchiveInspector(ScanConfig.Archive limits, int maxNestedBytes, Signatures signatures) {
        this.limits = limits;
        this.maxNestedBytes = maxNestedBytes;
        this.signatures = signatures;
    }

    /** Totals over every level of one upload. */
    static final class Budget {
        long bytes;
        int entries;
    }

    /** A finding that ends the inspection. */
    static final class Rejected extends Exception {
        final ScanVerdict verdict;

        Rejected(ScanVerdict verdict) {
            super(verdict.reason(), null, false, false);
            this.verdict = verdict;
        }
    }

    /** The rejection for this zip (at {@code depth}, the upload itself being 1), or null when nothing was found. */
    ScanVerdict inspect(byte[] zip, int depth, Budget budget) {
        try {
            walk(zip, depth, budget);
            return null;
        } catch (Rejected r) {
            return r.verdict;
        }
    }

    private void walk(byte[] zip, int depth, Budget budget) throws Rejected {
        List<ZipDirectory.Entry> directory;
        try {
            directory = ZipDirectory.read(zip);
        } catch (ZipDirectory.Unreadable u) {
            throw new Rejected(u.verdict);
        }
        budget.entries += directory.size();
        if (budget.entries > limits.maxEntries()) {
            throw new Rejected(ScanVerdict.blocked(ScanVerdict.ARCHIVE_ENTRIES, "the archive holds more than "
                    + limits.maxEntries() + " files"));
        }
        Map<String, Integer> expected = new HashMap<>();
        for (ZipDirectory.Entry e : directory) {
            byName(e.name());
            expected.merge(e.name(), 1, Integer::sum);
        }
        Counting raw = new Counting(new ByteArrayInputStream(zip));
        // Names without the UTF-8 flag are CP437 (the zip format's default), as ZipDirectory reads them.
        try (ZipInputStream in = new ZipInputStream(raw, ZipDirectory.CP437)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Integer left = expected.get(e.getName());
                if (left == null) {
                    throw new Rejected(ScanVerdict.blocked(ScanVerdict.MALFORMED,
                            "the archive holds files its directory does not list"));
                }
                expected.put(e.getName(), left - 1);
                if (left == 1) {
                    expected.remove(e.getName());
                }
                byName(e.getName());
                entry(in, e.getName(), raw, depth, budget);
            }
        } catch (ZipException | IllegalArgumentException e) {
            // IllegalArgumentException: a name that does not decode (ZipInputStream's own complaint).
            throw new Rejected(ScanVerdict.blocked(ScanVerdict.MALFORMED, "the archive is damaged and cannot be checked"));
        } catch (IOException e) {
            throw new Rejected(ScanVerdict.blocked(ScanVerdict.MALFORMED, "the archive is damaged and cannot be checked"));
        }
        if (!expected.isEmpty()) {
            // Listed in the directory (what Windows and Office open) but not reachable in file order: hidden entries.
            throw new Rejected(ScanVerdict.blocked(ScanVerdict.MALFORMED,
                    "the archive lists files that cannot be read in order (damaged or crafted)"));
        }
    }

    private static void byName(String name) throws Rejected {
        ScanVerdict v = NameRules.byName(name, true);
        if (v != null) {
            throw new Rejected(v);
        }
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (last.toLowerCase(Locale.ROOT).equals("vbaproject.bin")) {
            throw new Rejected(ScanVerdict.malware(ScanVerdict.MACRO,
                    "the document contains macros (a VBA project); save it without macros and send that"));
        }
    }

    /** One entry, from its current position in {@code in} to its end. */
    private void entry(ZipInputStream in, String name, Counting raw, int depth, Budget budget) throws Rejected, IOException {
        Meter meter = new Meter(name, raw, budget);
        byte[] head = new byte[Magic.HEAD];
        int headLen = 0;
        int n;
        while (headLen < head.length && (n = in.read(head, headLen, head.length - headLen)) > 0) {
            headLen += n;
        }
        meter.count(head, 0, headLen);
        Magic magic = Magic.of(head, headLen);
        switch (magic) {
            case EXECUTABLE -> throw new Rejected(ScanVerdict.blocked(ScanVerdict.EXECUTABLE,
                    "the archive holds a program: programs cannot be sent"));
            case SCRIPT -> throw new Rejected(ScanVerdict.blocked(ScanVerdict.SCRIPT,
                    "the archive holds a script: scripts cannot be sent"));
            case OTHER_ARCHIVE -> throw new Rejected(ScanVerdict.blocked(ScanVerdict.ARCHIVE_UNSUPPORTED,
                    "the archive holds another kind of archive that cannot be checked; send its files in a plain zip"));
            default -> { }
        }
        if (magic == Magic.ZIP && depth + 1 > limits.maxDepth()) {
            throw new Rejected(ScanVerdict.blocked(ScanVerdict.ARCHIVE_DEPTH, "the archive nests archives more than "
                    + limits.maxDepth() + " deep"));
        }
        if (magic != Magic.ZIP && magic != Magic.OLE2) {
            byte[] buf = new byte[BUFFER];
            while ((n = in.read(buf)) > 0) {
                meter.count(buf, 0, n);
            }
            return;
        }
        ByteArrayOutputStream held = new ByteArrayOutputStream(Math.max(headLen, 8192));
        held.write(head, 0, headLen);
        byte[] buf = new byte[BUFFER];
        while ((n = in.read(buf)) > 0) {
            meter.count(buf, 0, n);
            if (held.size() + n > maxNestedBytes) {
                throw new Rejected(ScanVerdict.tooLarge(ScanVerdict.ARCHIVE_TOO_LARGE,
                        "the archive holds an archive or document too large to check"));
            }
            held.write(buf, 0, n);
        }
        byte[] inner = held.toByteArray();
        if (magic == Magic.ZIP) {
            walk(inner, depth + 1, budget);
            return;
        }
        try {
            if (Ole2.hasVba(Ole2.names(inner))) {
                throw new Rejected(ScanVerdict.malware(ScanVerdict.MACRO,
                        "the archive holds an Office file with macros; save it without macros and send that"));
            }
        } catch (Ole2.Malformed m) {
            throw new Rejected(ScanVerdict.blocked(ScanVerdict.MALFORMED,
                    "the archive holds a damaged Office file that cannot be checked"));
        }
    }

    /** Counts one entry's inflated bytes against the limits and runs them through the signatures. */
    private final class Meter {
        private final Signatures.Matcher matcher = signatures.matcher();
        private final Signatures.Matcher macros;
        private final Counting raw;
        private final long rawStart;
        private final Budget budget;
        private long produced;

        Meter(String name, Counting raw, Budget budget) {
            this.raw = raw;
            this.rawStart = raw.count;
            this.budget = budget;
            this.macros = name.equals("[Content_Types].xml") ? MACRO_MARKERS.matcher() : null;
        }

        void count(byte[] b, int off, int len) throws Rejected {
            produced += len;
            budget.bytes += len;
            if (budget.bytes > limits.maxTotalBytes()) {
                throw new Rejected(ScanVerdict.malware(ScanVerdict.ZIP_BOMB, "the archive expands to more than "
                        + limits.maxTotalBytes() / (1 << 20) + " MiB: a zip bomb or far too much to check"));
            }
            // Compressed bytes read so far for this entry (the inflater reads ahead at most 512 bytes: a slight
            // overestimate, which only makes the ratio smaller).
            long compressed = Math.max(1, raw.count - rawStart);
            if (produced > RATIO_FLOOR && produced / compressed > limits.maxRatio()) {
                throw new Rejected(ScanVerdict.malware(ScanVerdict.ZIP_BOMB, "a file in the archive expands more than "
                        + limits.maxRatio() + " times its compressed size: a zip bomb"));
            }
            Signatures.Signature s = matcher.update(b, off, len);
            if (s != null) {
                throw new Rejected(FileScanner.signatureVerdict(s, true));
            }
            if (macros != null && macros.update(b, off, len) != null) {
                throw new Rejected(ScanVerdict.malware(ScanVerdict.MACRO,
                        "the document is macro-enabled; save it without macros and send that"));
            }
        }
    }

    /** Counts the bytes the zip reader takes from the archive. */
    static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
