package io.securechat.moderation.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every check of the built-in scanner on generated files; benign files of each kind pass. */
class FileScannerTest {

    static final String DOCX = FileType.DOCX.mime();

    final FileScanner scanner = scanner(Samples.defaults());

    static FileScanner scanner(ScanConfig config) {
        try {
            return new FileScanner(config, ScanService.loadSignatures(config));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertVerdict(ScanVerdict v, String code, String reason) {
        assertEquals(ScanVerdict.REJECTED, v.verdict(), v.toString());
        assertEquals(code, v.code(), v.toString());
        assertEquals(reason, v.reason(), v.toString());
        assertTrue(v.message() != null && !v.message().isBlank(), "plain words for the user");
    }

    static void assertClean(ScanVerdict v, FileType type) {
        assertEquals(ScanVerdict.CLEAN, v.verdict(), v.toString());
        assertEquals(type.mime(), v.contentType());
    }

    @Test
    void benignFilesOfEveryKindPass() {
        assertClean(scanner.scan("screen.png", "image/png", Samples.png(300_000)), FileType.PNG);
        assertClean(scanner.scan("Invoice März.pdf", "application/pdf", Samples.pdf()), FileType.PDF);
        assertClean(scanner.scan("notes.txt", "text/plain; charset=utf-8", Samples.text("Grüße, the order is late\n")),
                FileType.TEXT);
        assertClean(scanner.scan("orders.csv", "application/vnd.ms-excel", Samples.text("id,total\n1,12.50\n")), FileType.CSV);
        assertClean(scanner.scan("report.docx", DOCX, Samples.docx()), FileType.DOCX);
        byte[] zip = Samples.zip(new LinkedHashMap<>(Map.of("logs/app.log", Samples.text("started\n".repeat(1000)),
                "shot.png", Samples.png(20_000), "letter.docx", Samples.docx())));
        assertClean(scanner.scan("support.zip", "application/x-zip-compressed", zip), FileType.ZIP);
        assertClean(scanner.scan("legacy.doc", "application/msword", Samples.ole2(List.of("WordDocument", "1Table"))),
                FileType.DOC);
        assertClean(scanner.scan("sheet.xls", null, Samples.ole2(List.of("Workbook"))), FileType.XLS);
        // A client that declares nothing useful is judged by the bytes and the name alone.
        assertClean(scanner.scan("screen.png", "application/octet-stream", Samples.png(1000)), FileType.PNG);
    }

    @Test
    void zipsFromWindowsWithNonAsciiNamesPass() throws Exception {
        // Windows' built-in zip writes names in CP437 without the UTF-8 flag (found by review: read as
        // UTF-8, "März" did not decode and the scan failed with an error instead of a verdict).
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var z = new java.util.zip.ZipOutputStream(out, java.nio.charset.Charset.forName("IBM437"))) {
            z.putNextEntry(new java.util.zip.ZipEntry("Rechnung März.txt"));
            z.write(Samples.text("Grüße\n"));
            z.closeEntry();
        }
        assertClean(scanner.scan("rechnungen.zip", "application/zip", out.toByteArray()), FileType.ZIP);
    }

    @Test
    void eicarIsMalwareAloneAtTheStartWithTrailingBytesAndInsideArchives() {
        assertVerdict(scanner.scan("eicar.txt", "text/plain", Samples.eicar()), "malware", "scan.eicar");
        byte[] padded = new byte[128];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(Samples.eicar(), 0, padded, 0, 68);
        assertVerdict(scanner.scan("eicar.com.txt", "text/plain", padded), "malware", "scan.eicar");
        assertVerdict(scanner.scan("eicar.zip", "application/zip", Samples.zip("eicar.txt", Samples.eicar())), "malware",
                "scan.eicar");
        assertVerdict(scanner.scan("deep.zip", "application/zip", Samples.nested(3, "e.txt", Samples.eicar())), "malware",
                "scan.eicar");
        // Whatever the name and type claim: an EICAR "image" is malware first.
        assertVerdict(scanner.scan("cat.png", "image/png", Samples.eicar()), "malware", "scan.eicar");
    }

    @Test
    void signaturesOfTheShippedListMatchInFilesAndInDocumentParts() {
        assertVerdict(scanner.scan("a.pdf", "application/pdf",
                Samples.text("%PDF-1.4\n1 0 obj << /Type /Action /S /Launch /F (cmd.exe) >> endobj\n")), "malware",
                "scan.signature.pdf_launch_action");
        byte[] dde = Samples.docx(Samples.DOCX_MAIN, Map.of("word/footer1.xml",
                Samples.text("<w:fldSimple w:instr=\"DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe\"/>")));
        assertVerdict(scanner.scan("order.docx", DOCX, dde), "malware", "scan.signature.office_ddeauto");
    }

    @Test
    void typesAreTakenFromTheBytesAndMustAgreeWithNameAndDeclaredType() {
        assertVerdict(scanner.scan("photo.jpg", "image/jpeg", Samples.png(1000)), "blocked_content", "scan.type_mismatch");
        ScanVerdict declared = scanner.scan("photo.png", "application/pdf", Samples.png(1000));
        assertVerdict(declared, "blocked_content", "scan.type_mismatch");
        assertEquals("image/png", declared.contentType(), "the detected type travels with the rejection");
        assertVerdict(scanner.scan("doc.pdf", "application/pdf", Samples.docx()), "blocked_content", "scan.type_mismatch");
        assertVerdict(scanner.scan("page.html", "text/html", Samples.text("<p>hi</p>")), "blocked_content",
                "scan.type_mismatch");
        assertVerdict(scanner.scan("n.txt", "text/plain; charset=latin1", Samples.text("hi there")), "blocked_content",
                "scan.type_mismatch");
        assertVerdict(scanner.scan("blob.txt", "text/plain", new byte[] {1, 2, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}),
                "blocked_content", "scan.type_not_allowed");
        assertVerdict(scanner.scan("bad.txt", "text/plain", new byte[] {'a', (byte) 0xC3, '(', 'b'}), "blocked_content",
                "scan.type_not_allowed");
        assertVerdict(scanner.scan("x.tar.gz", null, new byte[] {0x1F, (byte) 0x8B, 8, 0, 0, 0, 0, 0}), "blocked_content",
                "scan.type_not_allowed");
        assertVerdict(scanner.scan("setup.doc", null, Samples.ole2(List.of("\u0005SummaryInformation", "Binary"))),
                "blocked_content", "scan.type_not_allowed");
        assertVerdict(scanner.scan("empty.txt", "text/plain", new byte[0]), "bad_request", "scan.empty");
    }

    @Test
    void theAllowListIsConfiguration() {
        ScanConfig base = Samples.defaults();
        ScanConfig imagesOnly = new ScanConfig() {
            public int maxBytes() {
                return base.maxBytes();
            }

            public List<String> allowedTypes() {
                return List.of("image/png", "image/jpeg");
            }

            public int maxConcurrent() {
                return 1;
            }

            public java.time.Duration acquireTimeout() {
                return base.acquireTimeout();
            }

            public java.util.Optional<String> signaturesFile() {
                return java.util.Optional.empty();
            }

            public Archive archive() {
                return base.archive();
            }

            public Clamav clamav() {
                return base.clamav();
            }
        };
        FileScanner strict = scanner(imagesOnly);
        assertClean(strict.scan("a.png", "image/png", Samples.png(100)), FileType.PNG);
        assertVerdict(strict.scan("a.pdf", "application/pdf", Samples.pdf()), "blocked_content", "scan.type_not_allowed");
    }

    @Test
    void programsAndScriptsAreRefusedByContentAndByNameAlsoInsideArchives() {
        assertVerdict(scanner.scan("invoice.pdf", "application/pdf", Samples.pe()), "blocked_content", "scan.executable");
        assertVerdict(scanner.scan("readme.txt", "text/plain", Samples.elf()), "blocked_content", "scan.executable");
        assertVerdict(scanner.scan("photo.png", "image/png", Samples.machO()), "blocked_content", "scan.executable");
        assertVerdict(scanner.scan("notes.txt", "text/plain", Samples.text("#!/bin/sh\nrm -rf ~\n")), "blocked_content",
                "scan.script");
        assertVerdict(scanner.scan("setup.exe", null, Samples.png(100)), "blocked_content", "scan.executable");
        assertVerdict(scanner.scan("run.PS1", null, Samples.text("Write-Host hi")), "blocked_content", "scan.script");
        assertVerdict(scanner.scan("run.vbs.", null, Samples.text("MsgBox 1")), "blocked_content", "scan.script");
        assertVerdict(scanner.scan("tools.zip", null, Samples.zip("bin/tool.dat", Samples.pe())), "blocked_content",
                "scan.executable");
        assertVerdict(scanner.scan("tools.zip", null, Samples.zip("bin/innocent.txt", Samples.elf())), "blocked_content",
                "scan.executable");
        assertVerdict(scanner.scan("tools.zip", null, Samples.zip("Invoice.pdf.js", Samples.text("WScript.Echo(1)"))),
                "blocked_content", "scan.script");
        assertVerdict(scanner.scan("tools.zip", null, Samples.nested(2, "install.sh", Samples.text("echo hi"))),
                "blocked_content", "scan.script");
        assertVerdict(scanner.scan("tools.zip", null, Samples.zip("x/app.jar", Samples.zip("A.class", Samples.text("x")))),
                "blocked_content", "scan.executable");
        assertVerdict(scanner.scan("logs.zip", null, Samples.zip("more.tar.gz", new byte[] {0x1F, (byte) 0x8B, 8, 0})),
                "blocked_content", "scan.archive_unsupported");
        // A text file that merely starts with "MZ" is text.
        assertClean(scanner.scan("mz.txt", "text/plain", Samples.text("MZ was the first format, 1981.\n")), FileType.TEXT);
    }

    @Test
    void officeMacrosAreMalwareInOoxmlAndInLegacyFiles() {
        byte[] vba = Samples.ole2(List.of("VBA", "_VBA_PROJECT", "dir", "ThisDocument"));
        assertVerdict(scanner.scan("report.docx", DOCX, Samples.docx(Samples.DOCX_MAIN, Map.of("word/vbaProject.bin", vba))),
                "malware", "scan.macro");
        assertVerdict(scanner.scan("report.docx", DOCX, Samples.docx(Samples.DOCM_MAIN, Map.of())), "malware", "scan.macro");
        assertVerdict(scanner.scan("report.docm", null, Samples.docx()), "malware", "scan.macro");
        assertVerdict(scanner.scan("report.docx", "application/vnd.ms-word.document.macroEnabled.12", Samples.docx()),
                "malware", "scan.macro");
        assertVerdict(scanner.scan("legacy.doc", "application/msword",
                Samples.ole2(List.of("WordDocument", "Macros", "VBA", "_VBA_PROJECT"))), "malware", "scan.macro");
        assertVerdict(scanner.scan("book.xls", null, Samples.ole2(List.of("Workbook", "_VBA_PROJECT_CUR", "VBA"))), "malware",
                "scan.macro");
        // Inside a plain zip too: an embedded OLE object with a VBA project, and a macro-enabled file by name.
        assertVerdict(scanner.scan("docs.zip", null, Samples.zip("old/legacy.doc", Samples.ole2(List.of("WordDocument",
                "_VBA_PROJECT")))), "malware", "scan.macro");
        assertVerdict(scanner.scan("docs.zip", null, Samples.zip("budget.xlsm", Samples.docx())), "malware", "scan.macro");
        // A damaged compound file cannot be checked.
        byte[] broken = Samples.ole2(List.of("WordDocument"));
        java.nio.ByteBuffer.wrap(broken).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x30, 4000);
        assertVerdict(scanner.scan("legacy.doc", null, broken), "blocked_content", "scan.malformed");
    }

    @Test
    void zipBombsAreStoppedWithoutInflatingThem() {
        // One entry of 1 GiB of zeros (about 1 MiB deflated): stopped by its ratio after the first MiB or so.
        byte[] gib = Samples.zeros("zeros.txt", 1L << 30);
        assertTrue(gib.length < 10 << 20, "fits the size limit: " + gib.length);
        assertVerdict(scanner.scan("data.zip", null, gib), "malware", "scan.zip_bomb");
        // 42.zip in miniature: five levels of sixteen; the nesting limit ends it before the bytes pile up.
        assertVerdict(scanner.scan("42.zip", null, Samples.fortyTwo(5, 16, 1000)), "blocked_content", "scan.archive_depth");
        // The same shape within the depth limit but over the total: every file modest, the sum too much.
        FileScanner tight = scanner(Samples.config(3, 1000, 4L << 20, 100));
        assertVerdict(tight.scan("42.zip", null, Samples.fortyTwo(3, 8, 100_000)), "malware", "scan.zip_bomb");
        // Overlapping entries (the non-recursive zip bomb): every directory entry points at the same data.
        byte[] data = new byte[2000];
        List<Samples.Raw> local = List.of(new Samples.Raw("a.txt", data, 0));
        List<Samples.Raw> central = List.of(new Samples.Raw("a.txt", data, 0), new Samples.Raw("b.txt", data, 0),
                new Samples.Raw("c.txt", data, 0));
        assertVerdict(scanner.scan("o.zip", null, Samples.rawZip(local, null, central, java.util.Arrays.asList(0, 0, 0))),
                "malware", "scan.zip_bomb");
    }

    @Test
    void archiveLimitsEntriesDepthEncryptionAndHiddenEntries() {
        assertClean(scanner.scan("three.zip", null, Samples.nested(3, "a.txt", Samples.text("deep but fine"))), FileType.ZIP);
        assertVerdict(scanner.scan("four.zip", null, Samples.nested(4, "a.txt", Samples.text("too deep"))), "blocked_content",
                "scan.archive_depth");
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 1001; i++) {
            many.put("f" + i + ".txt", Samples.text("x"));
        }
        assertVerdict(scanner.scan("many.zip", null, Samples.zip(many)), "blocked_content", "scan.archive_entries");
        byte[] secret = Samples.text("secret text");
        assertVerdict(scanner.scan("locked.zip", null, Samples.rawZip(List.of(new Samples.Raw("s.txt", secret, 1)), null,
                List.of(new Samples.Raw("s.txt", secret, 1)), null)), "blocked_content", "scan.archive_encrypted");
        // Junk after the first entry stops a streaming reader; the directory still lists the second (a hidden entry).
        List<Samples.Raw> two = List.of(new Samples.Raw("a.txt", Samples.text("fine"), 0),
                new Samples.Raw("b.txt", Samples.text("hidden payload"), 0));
        assertVerdict(scanner.scan("h.zip", null, Samples.rawZip(two, Samples.text("JUNKJUNKJUNK"), two, null)),
                "blocked_content", "scan.malformed");
        assertClean(scanner.scan("plain.zip", null, Samples.rawZip(two, null, two, null)), FileType.ZIP);
        assertVerdict(scanner.scan("cut.zip", null, java.util.Arrays.copyOf(Samples.zip("a.txt", Samples.text("abc")), 40)),
                "blocked_content", "scan.malformed");
    }

    @Test
    void theSizeLimitHolds() {
        FileScanner small = scanner(Samples.config(1000, 3, 1000, 1L << 28, 100, null));
        assertVerdict(small.scan("a.txt", "text/plain", new byte[1001]), "too_large", "scan.too_large");
        assertClean(small.scan("a.txt", "text/plain", Samples.text("x".repeat(1000))), FileType.TEXT);
        // A nested archive bigger than the limit cannot be opened in memory: too large to check. The inner zip
        // stores its text (about 5 KB), the outer one deflates it to a few hundred bytes.
        List<Samples.Raw> stored = List.of(new Samples.Raw("big.txt", Samples.text("y".repeat(5000)), 0));
        byte[] outer = Samples.zip("inner.zip", Samples.rawZip(stored, null, stored, null));
        assertTrue(outer.length < 1000, "outer " + outer.length);
        assertVerdict(small.scan("o.zip", null, outer), "too_large", "scan.archive_too_large");
    }
}
