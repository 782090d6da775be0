package io.securechat.transcript.attachment.scan;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Rules for an uploaded file's name; pure, unit-tested in {@code FileNamesTest}. */
public final class FileNames {

    public static final int MAX_LENGTH = 255;

    private FileNames() {}

    /** Why the name is unusable (answered 400), or null: 1..255 characters, no path, no control characters. */
    public static String problem(String filename) {
        if (filename == null || filename.isBlank()) {
            return "filename is required";
        }
        if (filename.codePointCount(0, filename.length()) > MAX_LENGTH) {
            return "filename may have at most " + MAX_LENGTH + " characters";
        }
        if (filename.codePoints().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\')) {
            return "filename must not hold control characters or path separators";
        }
        if (filename.strip().equals(".") || filename.strip().equals("..")) {
            return "filename is not a file name";
        }
        return null;
    }

    /** The lower-case extension after the last dot, or null when there is none (or only a leading dot). */
    public static String extension(String filename) {
        if (filename == null) {
            return null;
        }
        String name = filename.strip();
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return null;
        }
        return name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** {@code Content-Disposition: attachment; filename*=UTF-8''...} (RFC 6266 / 5987), with an ASCII fallback. */
    public static String contentDisposition(String filename) {
        StringBuilder enc = new StringBuilder();
        StringBuilder ascii = new StringBuilder();
        for (byte b : filename.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                enc.append((char) c);
            } else {
                enc.append('%').append(String.format("%02X", c));
            }
        }
        for (char c : filename.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + enc;
    }
}
