package io.securechat.moderation.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Files made for the tests: images, documents, archives, bombs, programs. Nothing is read from disk. */
final class Samples {

    private Samples() {}

    /** The EICAR test file, from hex so that this source is not itself flagged by a virus scanner. */
    static byte[] eicar() {
        return Signatures.EICAR.clone();
    }

    static byte[] png(int size) {
        byte[] b = new byte[size];
        new Random(7).nextBytes(b);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
        System.arraycopy(magic, 0, b, 0, magic.length);
        return b;
    }

    static byte[] pdf() {
        return ("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A Windows program's first bytes: the DOS header (NUL bytes), e_lfanew, then "PE\0\0". */
    static byte[] pe() {
        byte[] b = new byte[256];
        b[0] = 'M';
        b[1] = 'Z';
        b[2] = (byte) 0x90;
        b[0x3C] = (byte) 0x80;
        b[0x80] = 'P';
        b[0x81] = 'E';
        return b;
    }

    static byte[] elf() {
        byte[] b = new byte[128];
        byte[] head = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    static byte[] machO() {
        byte[] b = new byte[64];
        b[0] = (byte) 0xCF;
        b[1] = (byte) 0xFA;
        b[2] = (byte) 0xED;
        b[3] = (byte) 0xFE;
        return b;
    }

    /** A zip made by java.util.zip (deflated), entries in order. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zip(String name, byte[] content) {
        return zip(Map.of(name, content));
    }

    /** Zips nested {@code levels} deep: level 1 is the outer zip; the innermost holds {@code content}. */
    static byte[] nested(int levels, String innerName, byte[] content) {
        byte[] z = zip(innerName, content);
        for (int i = 1; i < levels; i++) {
            z = zip("level" + (levels - i) + ".zip", z);
        }
        return z;
    }

    /**
     * 42.zip in miniature: every level holds {@code fan} copies of the level below, the last level
     * {@code fan} files of {@code leafBytes} zeros.
     */
    static byte[] fortyTwo(int levels, int fan, int leafBytes) {
        Map<String, byte[]> leaves = new LinkedHashMap<>();
        for (int i = 0; i < fan; i++) {
            leaves.put("0" + Integer.toHexString(i) + ".txt", new byte[leafBytes]);
        }
        byte[] z = zip(leaves);
        for (int l = 1; l < levels; l++) {
            Map<String, byte[]> copies = new LinkedHashMap<>();
            for (int i = 0; i < fan; i++) {
                copies.put("lib " + Integer.toHexString(i) + ".zip", z);
            }
            z = zip(copies);
        }
        return z;
    }

    /** One entry of {@code size} zero bytes, deflated as it is written (the zip itself stays about size/1000). */
    static byte[] zeros(String name, long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.setLevel(Deflater.BEST_COMPRESSION);
            z.putNextEntry(new ZipEntry(name));
            byte[] block = new byte[1 << 20];
            for (long left = size; left > 0; left -= block.length) {
                z.write(block, 0, (int) Math.min(block.length, left));
            }
            z.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static final String CONTENT_TYPES = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
            <Default Extension="xml" ContentType="application/xml"/>
            <Override PartName="/word/document.xml" ContentType="%s"/>
            </Types>""";
    static final String DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    static final String DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml";

    /** A minimal Word document: content types, relationships, the document part; more parts if given. */
    static byte[] docx(String mainContentType, Map<String, byte[]> more) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", text(CONTENT_TYPES.formatted(mainContentType)));
        parts.put("_rels/.rels", text("""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
                </Relationships>"""));
        parts.put("word/document.xml", text("""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
                <w:body><w:p><w:r><w:t>Invoice 2026-0042, thank you</w:t></w:r></w:p></w:body></w:document>"""));
        parts.putAll(more);
        return zip(parts);
    }

    static byte[] docx() {
        return docx(DOCX_MAIN, Map.of());
    }

    /**
     * A minimal OLE2 compound file (512-byte sectors: the header, one FAT sector, then directory
     * sectors of four entries each) whose directory holds these names: enough for a reader that
     * follows the allocation table.
     */
    static byte[] ole2(List<String> names) {
        List<String> all = new ArrayList<>();
        all.add("Root Entry");
        all.addAll(names);
        int dirSectors = (all.size() + 3) / 4;
        ByteBuffer f = ByteBuffer.allocate(512 * (2 + dirSectors)).order(ByteOrder.LITTLE_ENDIAN);
        f.put(HexFormat.of().parseHex("d0cf11e0a1b11ae1"));
        f.putShort(0x18, (short) 0x3E).putShort(0x1A, (short) 3).putShort(0x1C, (short) 0xFFFE);
        f.putShort(0x1E, (short) 9).putShort(0x20, (short) 6);
        f.putInt(0x2C, 1).putInt(0x30, 1).putInt(0x38, 4096).putInt(0x3C, -2).putInt(0x40, 0);
        f.putInt(0x44, -2).putInt(0x48, 0);
        for (int i = 0; i < 109; i++) {
            f.putInt(0x4C + 4 * i, i == 0 ? 0 : -1);
        }
        int fat = 512;
        for (int i = 0; i < 128; i++) {
            int v;
            if (i == 0) {
                v = -3; // this FAT sector
            } else if (i <= dirSectors) {
                v = i == dirSectors ? -2 : i + 1; // the directory chain
            } else {
                v = -1;
            }
            f.putInt(fat + 4 * i, v);
        }
        for (int k = 0; k < all.size(); k++) {
            int at = 1024 + 128 * k;
            byte[] name = all.get(k).getBytes(StandardCharsets.UTF_16LE);
            f.put(at, name);
            f.putShort(at + 0x40, (short) (name.length + 2));
            f.put(at + 0x42, (byte) (k == 0 ? 5 : (all.get(k).equals("VBA") || all.get(k).equals("Macros") ? 1 : 2)));
            f.putInt(at + 0x44, -1).putInt(at + 0x48, -1).putInt(at + 0x4C, -1);
        }
        return f.array();
    }

    /** A stored entry for {@link #rawZip}: its name, bytes, flags, and where the central directory says it starts. */
    record Raw(String name, byte[] data, int flags) {}

    /**
     * A zip written byte by byte (stored entries), for what java.util.zip refuses to write:
     * {@code junk} between local entries, central directory entries pointing wherever
     * {@code offsets} says (null: at the entry's own local header), flags such as encryption.
     */
    static byte[] rawZip(List<Raw> locals, byte[] junkAfterFirst, List<Raw> central, List<Integer> offsets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> localOffsets = new ArrayList<>();
        for (int i = 0; i < locals.size(); i++) {
            Raw r = locals.get(i);
            localOffsets.add(out.size());
            writeLocal(out, r);
            if (i == 0 && junkAfterFirst != null) {
                out.writeBytes(junkAfterFirst);
            }
        }
        int cdStart = out.size();
        for (int i = 0; i < central.size(); i++) {
            Raw r = central.get(i);
            int offset = offsets == null || offsets.get(i) == null ? localOffsets.get(i) : offsets.get(i);
            byte[] name = r.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer c = ByteBuffer.allocate(46 + name.length).order(ByteOrder.LITTLE_ENDIAN);
            c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) r.flags()).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt((int) crc(r.data())).putInt(r.data().length)
                    .putInt(r.data().length).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset).put(name);
            out.writeBytes(c.array());
        }
        int cdSize = out.size() - cdStart;
        ByteBuffer e = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        e.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) central.size())
                .putShort((short) central.size()).putInt(cdSize).putInt(cdStart).putShort((short) 0);
        out.writeBytes(e.array());
        return out.toByteArray();
    }

    private static void writeLocal(OutputStream out, Raw r) {
        byte[] name = r.name().getBytes(StandardCharsets.UTF_8);
        ByteBuffer l = ByteBuffer.allocate(30 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        l.putInt(0x04034b50).putShort((short) 20).putShort((short) r.flags()).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt((int) crc(r.data())).putInt(r.data().length).putInt(r.data().length)
                .putShort((short) name.length).putShort((short) 0).put(name);
        try {
            out.write(l.array());
            out.write(r.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    /** Configuration as the defaults have it, with the archive limits given. */
    static ScanConfig config(int maxDepth, int maxEntries, long maxTotalBytes, int maxRatio) {
        return config(10 << 20, maxDepth, maxEntries, maxTotalBytes, maxRatio, null);
    }

    static ScanConfig defaults() {
        return config(3, 1000, 256L << 20, 100);
    }

    static ScanConfig config(int maxBytes, int maxDepth, int maxEntries, long maxTotalBytes, int maxRatio,
            String signaturesFile) {
        ScanConfig.Archive archive = new ScanConfig.Archive() {
            public int maxDepth() {
                return maxDepth;
            }

            public int maxEntries() {
                return maxEntries;
            }

            public long maxTotalBytes() {
                return maxTotalBytes;
            }

            public int maxRatio() {
                return maxRatio;
            }
        };
        ScanConfig.Clamav clamav = new ScanConfig.Clamav() {
            public Optional<String> host() {
                return Optional.empty();
            }

            public int port() {
                return 3310;
            }

            public Duration timeout() {
                return Duration.ofSeconds(10);
            }

            public int chunkBytes() {
                return 65536;
            }
        };
        return new ScanConfig() {
            public int maxBytes() {
                return maxBytes;
            }

            public List<String> allowedTypes() {
                return Arrays.stream(FileType.values()).map(FileType::mime).toList();
            }

            public int maxConcurrent() {
                return 4;
            }

            public Duration acquireTimeout() {
                return Duration.ofSeconds(5);
            }

            public Optional<String> signaturesFile() {
                return Optional.ofNullable(signaturesFile);
            }

            public Archive archive() {
                return archive;
            }

            public Clamav clamav() {
                return clamav;
            }
        };
    }
}
