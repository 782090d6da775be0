package io.securechat.transcript.attachment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.transcript.attachment.scan.AttachmentScanner;
import io.securechat.transcript.attachment.scan.AttachmentScanner.Kind;
import io.securechat.transcript.attachment.scan.ContentTypes;
import io.securechat.transcript.attachment.scan.FileNames;
import io.securechat.transcript.attachment.scan.LocalScanner;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Magic-byte detection, filename and extension rules, and the local scanner's verdicts. */
class AttachmentRulesTest {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1};
    static final byte[] GIF = "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] WEBP = "RIFF\u0024\u0000\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] PDF = "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj".getBytes(StandardCharsets.ISO_8859_1);
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    static String detect(byte[] b) {
        return ContentTypes.detect(b, b.length);
    }

    @Test
    void magicBytesNameTheType() {
        assertEquals(ContentTypes.PNG, detect(PNG));
        assertEquals(ContentTypes.JPEG, detect(JPEG));
        assertEquals(ContentTypes.GIF, detect(GIF));
        assertEquals(ContentTypes.WEBP, detect(WEBP));
        assertEquals(ContentTypes.PDF, detect(PDF));
        assertEquals(ContentTypes.TEXT, detect("hello world, plain".getBytes(StandardCharsets.UTF_8)));
        // RIFF but not WebP (a WAV file) is no image; a truncated PNG signature is no PNG
        assertEquals(ContentTypes.TEXT, detect("RIFF\u0024\u0000\u0000\u0000WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(ContentTypes.TEXT, ContentTypes.detect(PNG, 4));
    }

    @Test
    void declaredTypesAreNormalized() {
        assertEquals(ContentTypes.TEXT, ContentTypes.normalizeDeclared("text/plain; charset=UTF-8"));
        assertEquals(ContentTypes.TEXT, ContentTypes.normalizeDeclared("Text/Plain"));
        assertNull(ContentTypes.normalizeDeclared("text/plain; charset=latin1"));
        assertEquals(ContentTypes.JPEG, ContentTypes.normalizeDeclared("image/jpg"));
        assertNull(ContentTypes.normalizeDeclared("application/octet-stream"));
        assertNull(ContentTypes.normalizeDeclared("text/html"));
        assertNull(ContentTypes.normalizeDeclared("image/png; charset=utf-8"));
        assertNull(ContentTypes.normalizeDeclared(null));
    }

    @Test
    void filenamesAndExtensions() {
        assertNull(FileNames.problem("Invoice März 2026.pdf"));
        assertNotNull(FileNames.problem(""));
        assertNotNull(FileNames.problem("../etc/passwd"));
        assertNotNull(FileNames.problem("a\\b.txt"));
        assertNotNull(FileNames.problem("bad\nname.txt"));
        assertNotNull(FileNames.problem("x".repeat(256)));
        assertEquals("pdf", FileNames.extension("a.b.PDF"));
        assertNull(FileNames.extension(".bashrc"));
        assertNull(FileNames.extension("README"));
        assertNull(FileNames.extension("trailing."));
        assertTrue(ContentTypes.extensionFits(ContentTypes.JPEG, "photo.JPEG"));
        assertTrue(ContentTypes.extensionFits(ContentTypes.JPEG, "photo.jpg"));
        assertFalse(ContentTypes.extensionFits(ContentTypes.PNG, "photo.jpg"));
        assertFalse(ContentTypes.extensionFits(ContentTypes.PNG, "photo.png.exe"));
        assertFalse(ContentTypes.allowedExtension("setup.exe"));
        assertTrue(ContentTypes.allowedExtension("notes.txt"));
        assertEquals("attachment; filename=\"M_rz _1_.txt\"; filename*=UTF-8''M%C3%A4rz%20%221%22.txt",
                FileNames.contentDisposition("März \"1\".txt"));
    }

    static AttachmentScanner.Verdict scan(String filename, String type, byte[]... parts) {
        AttachmentScanner.Scan s = new LocalScanner().begin(filename, type);
        for (byte[] p : parts) {
            AttachmentScanner.Verdict v = s.update(p, 0, p.length);
            if (v != null) {
                return v;
            }
        }
        return s.finish();
    }

    @Test
    void theLocalScannerAcceptsOnlyAgreeingTypes() {
        assertEquals(Kind.CLEAN, scan("a.png", "image/png", PNG).kind());
        assertEquals(ContentTypes.PNG, scan("a.png", "image/png", PNG).contentType());
        assertEquals(Kind.BLOCKED_CONTENT, scan("a.pdf", "application/pdf", PNG).kind());
        assertEquals(Kind.BLOCKED_CONTENT, scan("a.png", "application/pdf", PNG).kind());
        assertEquals(Kind.BLOCKED_CONTENT, scan("a.jpg", "image/png", PNG).kind());
        assertTrue(scan("a.pdf", "application/pdf", PNG).message().contains("PNG"));
        assertEquals(Kind.CLEAN, scan("n.txt", "text/plain; charset=utf-8", "Grüße, ".getBytes(StandardCharsets.UTF_8),
                "über alles".getBytes(StandardCharsets.UTF_8)).kind());
        // a multi-byte character cut by a buffer boundary is still text
        byte[] u = "ü".getBytes(StandardCharsets.UTF_8);
        assertEquals(Kind.CLEAN, scan("n.txt", "text/plain", "hello there ".getBytes(StandardCharsets.UTF_8),
                new byte[] {u[0]}, new byte[] {u[1]}).kind());
        assertEquals(Kind.BLOCKED_CONTENT, scan("n.txt", "text/plain", "hello there, NUL\0 inside".getBytes(StandardCharsets.UTF_8)).kind());
        assertEquals(Kind.BLOCKED_CONTENT, scan("n.txt", "text/plain", new byte[] {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i',
                'j', 'k', 'l', (byte) 0xC3}).kind());
        assertEquals(Kind.BLOCKED_CONTENT, scan("n.txt", "text/plain", new byte[] {(byte) 0xFE, (byte) 0xFF, 0x01}).kind());
        assertEquals(Kind.CLEAN, scan("s.txt", "text/plain", "short".getBytes(StandardCharsets.UTF_8)).kind());
        assertEquals(Kind.EMPTY, scan("e.txt", "text/plain").kind());
    }

    @Test
    void eicarIsMalwareEvenAcrossBuffers() {
        byte[] e = EICAR.getBytes(StandardCharsets.US_ASCII);
        assertEquals(Kind.MALWARE, scan("eicar.txt", "text/plain", e).kind());
        byte[] a = java.util.Arrays.copyOfRange(e, 0, 40);
        byte[] b = java.util.Arrays.copyOfRange(e, 40, e.length);
        assertEquals(Kind.MALWARE, scan("eicar.txt", "text/plain", a, b).kind());
        assertEquals("malware", scan("eicar.txt", "text/plain", a, b).code());
    }

    static final byte[] ZIP = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0};
    static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0,
            0, 0, 0};

    @Test
    void officeFilesZipsAndCsvPassTheGateByFamilyDeclaredTypeAndName() {
        assertEquals(ContentTypes.ZIP, detect(ZIP));
        assertEquals(ContentTypes.OLE2, detect(OLE2));
        String docx = ContentTypes.DOCX;
        assertEquals(docx, scan("letter.docx", docx, ZIP).contentType());
        assertEquals(ContentTypes.ZIP, scan("logs.zip", "application/x-zip-compressed", ZIP).contentType());
        assertEquals(ContentTypes.XLS, scan("book.xls", "application/vnd.ms-excel", OLE2).contentType());
        assertEquals(ContentTypes.DOC, scan("old.doc", "application/msword", OLE2).contentType());
        // Windows declares a .csv as an Excel file when Excel is installed; it is still text.
        assertEquals(ContentTypes.CSV, scan("orders.csv", "application/vnd.ms-excel", "id,total\n1,2\n".getBytes(
                StandardCharsets.UTF_8)).contentType());
        assertEquals(ContentTypes.CSV, scan("orders.csv", "text/csv; charset=utf-8", "id,total\n".getBytes(
                StandardCharsets.UTF_8)).contentType());
        // Families and names must agree: a zip is no Excel 97 file, an OLE2 file no docx, a docx not named .xlsx.
        assertEquals(Kind.BLOCKED_CONTENT, scan("book.xls", "application/vnd.ms-excel", ZIP).kind());
        assertEquals(Kind.BLOCKED_CONTENT, scan("letter.docx", docx, OLE2).kind());
        assertEquals(Kind.BLOCKED_CONTENT, scan("letter.xlsx", docx, ZIP).kind());
        assertEquals(Kind.BLOCKED_CONTENT, scan("a.xls", "application/vnd.ms-excel", "a,b\n".getBytes(StandardCharsets.UTF_8))
                .kind());
        // Macro-enabled types and names are not on the list.
        assertNull(ContentTypes.normalizeDeclared("application/vnd.ms-word.document.macroEnabled.12"));
        assertFalse(ContentTypes.allowedExtension("budget.xlsm"));
        assertTrue(ContentTypes.allowedExtension("budget.xlsx"));
        assertEquals("text/csv; charset=utf-8", ContentTypes.responseType(ContentTypes.CSV));
    }
}
