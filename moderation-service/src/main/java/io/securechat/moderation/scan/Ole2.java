package io.securechat.moderation.scan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The directory of an OLE2 compound file (legacy .doc, .xls, .ppt; also .msi and Outlook .msg):
 * the names of its storages and streams, read by following the file's own allocation table.
 * Enough to tell which Office application wrote it and whether it carries a VBA project
 * ({@code _VBA_PROJECT}, {@code _VBA_PROJECT_CUR}, {@code VBA} storages), nothing more. Every
 * offset is checked against the file and every chain is bounded, so a crafted file fails as
 * {@link Malformed} rather than looping or reading out of bounds.
 */
final class Ole2 {

    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private static final Set<String> VBA = Set.of("_vba_project", "_vba_project_cur", "vba");
    private static final int END_OF_CHAIN = -2;
    private static final int FREE = -1;

    private Ole2() {}

    /** The names in the directory (storages, streams and the root), in directory order. */
    static List<String> names(byte[] f) throws Malformed {
        if (f.length < 512) {
            throw new Malformed("shorter than its header");
        }
        int shift = ZipDirectory.u16(f, 0x1E);
        if (shift != 9 && shift != 12) {
            throw new Malformed("sector size");
        }
        int sector = 1 << shift;
        long sectors = (f.length - 512L + sector - 1) / sector + 1;
        int fatSectors = ZipDirectory.i32(f, 0x2C);
        int firstDir = ZipDirectory.i32(f, 0x30);
        int difat = ZipDirectory.i32(f, 0x44);
        int difatCount = ZipDirectory.i32(f, 0x48);
        if (fatSectors < 0 || fatSectors > sectors || difatCount < 0 || difatCount > sectors) {
            throw new Malformed("allocation table size");
        }
        // The allocation table's sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
        List<Integer> fatList = new ArrayList<>();
        for (int i = 0; i < 109 && fatList.size() < fatSectors; i++) {
            fatList.add(ZipDirectory.i32(f, 0x4C + 4 * i));
        }
        int per = sector / 4;
        for (int d = 0, s = difat; fatList.size() < fatSectors; d++) {
            if (d >= difatCount || s < 0) {
                throw new Malformed("allocation table list");
            }
            long off = offset(s, sector, f.length);
            for (int i = 0; i < per - 1 && fatList.size() < fatSectors; i++) {
                fatList.add(ZipDirectory.i32(f, (int) off + 4 * i));
            }
            s = ZipDirectory.i32(f, (int) off + 4 * (per - 1));
        }
        int[] fat = new int[fatList.size() * per];
        for (int k = 0; k < fatList.size(); k++) {
            long off = offset(fatList.get(k), sector, f.length);
            for (int i = 0; i < per; i++) {
                fat[k * per + i] = ZipDirectory.i32(f, (int) off + 4 * i);
            }
        }
        List<String> names = new ArrayList<>();
        int s = firstDir;
        for (long steps = 0; s != END_OF_CHAIN; steps++) {
            if (steps > sectors || s < 0 || s >= fat.length) {
                throw new Malformed("directory chain");
            }
            long off = offset(s, sector, f.length);
            for (int e = 0; e < sector / 128; e++) {
                int at = (int) off + e * 128;
                int nameBytes = ZipDirectory.u16(f, at + 0x40);
                int type = f[at + 0x42];
                if ((type == 1 || type == 2 || type == 5) && nameBytes >= 2 && nameBytes <= 64 && nameBytes % 2 == 0) {
                    names.add(new String(f, at, nameBytes - 2, StandardCharsets.UTF_16LE));
                }
            }
            s = fat[s];
            if (s == FREE) {
                throw new Malformed("directory chain");
            }
        }
        if (names.isEmpty()) {
            throw new Malformed("empty directory");
        }
        return names;
    }

    private static long offset(int sectorNumber, int sector, int length) throws Malformed {
        long off = (sectorNumber + 1L) * sector;
        if (sectorNumber < 0 || off + sector > length) {
            throw new Malformed("sector outside the file");
        }
        return off;
    }

    static boolean hasVba(List<String> names) {
        return names.stream().anyMatch(n -> VBA.contains(n.toLowerCase(Locale.ROOT)));
    }

    /** The Office type the directory announces, or null (an installer, a mail message, anything else). */
    static FileType officeType(List<String> names) {
        if (names.contains("WordDocument")) {
            return FileType.DOC;
        }
        if (names.contains("Workbook") || names.contains("Book")) {
            return FileType.XLS;
        }
        if (names.contains("PowerPoint Document")) {
            return FileType.PPT;
        }
        return null;
    }
}
