package io.securechat.transcript.attachment.scan;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The attachment type allow-list of the local gate, recognised by magic bytes (never by what the
 * client says): PNG, JPEG, GIF, WebP, PDF, plain text and CSV (UTF-8 without NUL bytes: the text
 * check itself runs over the whole file in {@link LocalScanner}), zip, Word, Excel and PowerPoint
 * (OOXML, which are zips, and the 97-2003 formats, which are OLE2 compound files). The gate tells
 * the families apart (a zip, an OLE2 file); moderation-service's scan then opens them and names
 * the exact type. Pure; unit-tested in {@code AttachmentRulesTest}.
 */
public final class ContentTypes {

    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final String GIF = "image/gif";
    public static final String WEBP = "image/webp";
    public static final String PDF = "application/pdf";
    public static final String TEXT = "text/plain";
    public static final String CSV = "text/csv";
    public static final String ZIP = "application/zip";
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public static final String DOC = "application/msword";
    public static final String XLS = "application/vnd.ms-excel";
    public static final String PPT = "application/vnd.ms-powerpoint";
    /** The family {@link #detect} names for any OLE2 compound file; never a stored type. */
    public static final String OLE2 = "application/x-ole-storage";

    /** Bytes needed to recognise every type on the list. */
    public static final int SNIFF_BYTES = 12;

    /** What the user is told is accepted. */
    public static final String ACCEPTED = "only PNG, JPEG, GIF, WebP, PDF, plain text (UTF-8), CSV, zip, Word, Excel and "
            + "PowerPoint files are";

    /** Extensions (lower case, without the dot) a file of each type may have. */
    static final Map<String, List<String>> EXTENSIONS = Map.ofEntries(
            Map.entry(PNG, List.of("png")),
            Map.entry(JPEG, List.of("jpg", "jpeg")),
            Map.entry(GIF, List.of("gif")),
            Map.entry(WEBP, List.of("webp")),
            Map.entry(PDF, List.of("pdf")),
            Map.entry(TEXT, List.of("txt", "text", "log", "md", "csv")),
            Map.entry(CSV, List.of("csv")),
            Map.entry(ZIP, List.of("zip")),
            Map.entry(DOCX, List.of("docx")),
            Map.entry(XLSX, List.of("xlsx")),
            Map.entry(PPTX, List.of("pptx")),
            Map.entry(DOC, List.of("doc")),
            Map.entry(XLS, List.of("xls")),
            Map.entry(PPT, List.of("ppt")));

    /** Other names clients give the same types (Windows says application/x-zip-compressed for a zip). */
    static final Map<String, String> ALIASES = Map.of(
            "image/jpg", JPEG,
            "image/pjpeg", JPEG,
            "application/x-zip-compressed", ZIP,
            "application/x-zip", ZIP,
            "application/csv", CSV,
            "text/comma-separated-values", CSV,
            "text/markdown", TEXT,
            "text/x-markdown", TEXT);

    private ContentTypes() {}

    /**
     * The type the first bytes announce; for zips {@link #ZIP} and for OLE2 files {@link #OLE2}
     * (the family: which document it is takes opening it); {@link #TEXT} when they announce none
     * of the binary types (a candidate only: the whole file must then be UTF-8 without NUL).
     * Callers pass at least {@link #SNIFF_BYTES} bytes or the whole (shorter) file.
     */
    public static String detect(byte[] head, int len) {
        if (startsWith(head, len, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(head, len, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(head, len, 'G', 'I', 'F', '8', '7', 'a') || startsWith(head, len, 'G', 'I', 'F', '8', '9', 'a')) {
            return GIF;
        }
        if (len >= 12 && startsWith(head, len, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E' && head[10] == 'B'
                && head[11] == 'P') {
            return WEBP;
        }
        if (startsWith(head, len, '%', 'P', 'D', 'F', '-')) {
            return PDF;
        }
        if (startsWith(head, len, 'P', 'K', 3, 4) || startsWith(head, len, 'P', 'K', 5, 6)) {
            return ZIP;
        }
        if (startsWith(head, len, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return OLE2;
        }
        return TEXT;
    }

    /** The family {@link #detect} answers for a file of this (declared) type. */
    public static String family(String type) {
        return switch (type) {
            case DOCX, XLSX, PPTX, ZIP -> ZIP;
            case DOC, XLS, PPT -> OLE2;
            case CSV -> TEXT;
            default -> type;
        };
    }

    private static boolean startsWith(byte[] head, int len, int... magic) {
        if (len < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The declared Content-Type as a bare lower-case media type, or null when it is not one of the
     * list. Text types may carry {@code charset=utf-8} or {@code us-ascii}, nothing else.
     */
    public static String normalizeDeclared(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        String[] parts = contentType.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        type = ALIASES.getOrDefault(type, type);
        if (!EXTENSIONS.containsKey(type)) {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) {
                String cs = p.substring("charset=".length()).replace("\"", "");
                if (!(TEXT.equals(type) || CSV.equals(type)) || !(cs.equals("utf-8") || cs.equals("us-ascii"))) {
                    return null;
                }
            }
        }
        return type;
    }

    /** Whether the filename's extension is one a file of this type may have. */
    public static boolean extensionFits(String type, String filename) {
        String ext = FileNames.extension(filename);
        return ext != null && EXTENSIONS.getOrDefault(type, List.of()).contains(ext);
    }

    /** Whether any type on the list takes this extension (".exe" does not). */
    public static boolean allowedExtension(String filename) {
        String ext = FileNames.extension(filename);
        return ext != null && EXTENSIONS.values().stream().anyMatch(l -> l.contains(ext));
    }

    /** What the download answers with. */
    public static String responseType(String type) {
        return TEXT.equals(type) || CSV.equals(type) ? type + "; charset=utf-8" : type;
    }
}
