package io.securechat.transcript.attachment.scan;

/**
 * Checks an uploaded file as it streams through, without holding it: the upload feeds every
 * buffer to {@link Scan#update} and asks {@link Scan#finish} at the end. A rejection ends the
 * upload (nothing is kept). The local implementation ({@link LocalScanner}) enforces the type
 * allow-list by magic bytes and refuses the EICAR test file; moderation-service will provide a
 * full malware scanner behind this interface.
 */
public interface AttachmentScanner {

    /** A scan of one file: {@code filename} already passed {@link FileNames#problem}. */
    Scan begin(String filename, String declaredContentType);

    interface Scan {
        /** A rejection as soon as one is certain, else null. */
        Verdict update(byte[] buffer, int offset, int length);

        /** The final verdict once every byte was seen. */
        Verdict finish();
    }

    enum Kind { CLEAN, BLOCKED_CONTENT, MALWARE, EMPTY }

    /**
     * @param contentType the detected type (CLEAN only)
     * @param message a plain-words reason for the caller (rejections), never file content
     */
    record Verdict(Kind kind, String contentType, String message) {

        public static Verdict clean(String contentType) {
            return new Verdict(Kind.CLEAN, contentType, null);
        }

        public static Verdict blocked(String message) {
            return new Verdict(Kind.BLOCKED_CONTENT, null, message);
        }

        public static Verdict malware(String message) {
            return new Verdict(Kind.MALWARE, null, message);
        }

        /** The API and audit code: {@code blocked_content}, {@code malware}, {@code empty}. */
        public String code() {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
