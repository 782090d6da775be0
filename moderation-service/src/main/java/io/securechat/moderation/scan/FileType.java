package io.securechat.moderation.scan;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The file types the scanner understands, each with its MIME type, the extensions a file of it
 * may have, and the other declared types browsers send for it (Windows sends
 * {@code application/x-zip-compressed} for a zip and {@code application/vnd.ms-excel} for a
 * CSV when Excel is installed). Whether a type may pass is configuration
 * ({@code chat.scan.allowed-types}).
 */
public enum FileType {

    PNG("image/png", List.of("png"), Set.of(), "a PNG image"),
    JPEG("image/jpeg", List.of("jpg", "jpeg"), Set.of("image/jpg", "image/pjpeg"), "a JPEG image"),
    GIF("image/gif", List.of("gif"), Set.of(), "a GIF image"),
    WEBP("image/webp", List.of("webp"), Set.of(), "a WebP image"),
    PDF("application/pdf", List.of("pdf"), Set.of(), "a PDF document"),
    TEXT("text/plain", List.of("txt", "text", "log", "md"), Set.of("text/markdown", "text/x-markdown", "text/x-log"),
            "plain text"),
    CSV("text/csv", List.of("csv"), Set.of("text/plain", "application/csv", "text/comma-separated-values",
            "application/vnd.ms-excel"), "a CSV file"),
    ZIP("application/zip", List.of("zip"), Set.of("application/x-zip-compressed", "application/x-zip"), "a zip archive"),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", List.of("docx"), Set.of(),
            "a Word document"),
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", List.of("xlsx"), Set.of(),
            "an Excel workbook"),
    PPTX("application/vnd.openxmlformats-officedocument.presentationml.presentation", List.of("pptx"), Set.of(),
            "a PowerPoint presentation"),
    DOC("application/msword", List.of("doc"), Set.of(), "a Word 97-2003 document"),
    XLS("application/vnd.ms-excel", List.of("xls"), Set.of(), "an Excel 97-2003 workbook"),
    PPT("application/vnd.ms-powerpoint", List.of("ppt"), Set.of(), "a PowerPoint 97-2003 presentation");

    private final String mime;
    private final List<String> extensions;
    private final Set<String> aliases;
    private final String description;

    FileType(String mime, List<String> extensions, Set<String> aliases, String description) {
        this.mime = mime;
        this.extensions = extensions;
        this.aliases = aliases;
        this.description = description;
    }

    public String mime() {
        return mime;
    }

    public List<String> extensions() {
        return extensions;
    }

    /** For messages to the user: "a PNG image". */
    public String description() {
        return description;
    }

    public boolean isText() {
        return this == TEXT || this == CSV;
    }

    /** Whether a file of this type may carry this (lower-case) extension. */
    public boolean fitsExtension(String extension) {
        return extension != null && extensions.contains(extension);
    }

    /**
     * Whether the declared Content-Type names this type: the bare media type (its own or an alias),
     * and a {@code charset} parameter only on text, only UTF-8 or US-ASCII.
     */
    public boolean fitsDeclared(String declared) {
        String[] parts = declared.split(";");
        String bare = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!bare.equals(mime) && !aliases.contains(bare)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) {
                String cs = p.substring("charset=".length()).replace("\"", "");
                if (!isText() || !(cs.equals("utf-8") || cs.equals("us-ascii"))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The type with this MIME type, or null. */
    public static FileType ofMime(String mime) {
        for (FileType t : values()) {
            if (t.mime.equalsIgnoreCase(mime.strip())) {
                return t;
            }
        }
        return null;
    }

    /** Whether any type the scanner knows takes this extension. */
    public static boolean knownExtension(String extension) {
        for (FileType t : values()) {
            if (t.fitsExtension(extension)) {
                return true;
            }
        }
        return false;
    }
}
