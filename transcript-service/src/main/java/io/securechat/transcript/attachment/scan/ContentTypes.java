package io.securechat.transcript.attachment.scan;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The attachment type allow-list, recognised by magic bytes (never by what the client says):
 * PNG, JPEG, GIF, WebP, PDF, and plain text (UTF-8 without NUL bytes: the text check itself runs
 * over the whole stream in {@link LocalScanner}). Pure; unit-tested in {@code ContentTypesTest}.
 */
public final class ContentTypes {

    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final String GIF = "image/gif";
    public static final String WEBP = "image/webp";
    public static final String PDF = "application/pdf";
    public static final String TEXT = "text/plain";

    /** Bytes needed to recognise every type on the list. */
    public static final int SNIFF_BYTES = 12;

    /** Extensions (lower case, without the dot) a file of each type may have. */
    static final Map<String, List<String>> EXTENSIONS = Map.of(
            PNG, List.of("png"),
            JPEG, List.of("jpg", "jpeg"),
            GIF, List.of("gif"),
            WEBP, List.of("webp"),
            PDF, List.of("pdf"),
            TEXT, List.of("txt", "text", "log", "csv", "md"));

    private ContentTypes() {}

    /**
     * The type the first bytes announce; {@link #TEXT} when they announce none of the binary
     * types (a candidate only: the whole stream must then be UTF-8 without NUL); null for fewer
     * than {@link #SNIFF_BYTES} bytes that match nothing yet is impossible to tell: callers pass
     * at least that many bytes or the whole (shorter) file.
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
        return TEXT;
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
     * list. {@code text/plain} may carry {@code charset=utf-8} or {@code us-ascii}, nothing else.
     */
    public static String normalizeDeclared(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        String[] parts = contentType.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if ("image/jpg".equals(type) || "image/pjpeg".equals(type)) {
            type = JPEG;
        }
        if (!EXTENSIONS.containsKey(type)) {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) {
                String cs = p.substring("charset=".length()).replace("\"", "");
                if (!TEXT.equals(type) || !(cs.equals("utf-8") || cs.equals("us-ascii"))) {
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
        return TEXT.equals(type) ? "text/plain; charset=utf-8" : type;
    }
}
