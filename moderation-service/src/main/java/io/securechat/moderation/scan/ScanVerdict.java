package io.securechat.moderation.scan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of a scan: {@code CLEAN} with the detected type, or {@code REJECTED} with an API
 * error code ({@code malware}, {@code blocked_content}, {@code too_large}, {@code bad_request}),
 * a detail code ({@code scan.eicar}, {@code scan.zip_bomb}, ...; docs/moderation-attachments.md)
 * and plain words for the user. Never any of the file's content.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"verdict", "code", "reason", "contentType", "message"})
public record ScanVerdict(String verdict, String code, String reason, String contentType, String message) {

    public static final String CLEAN = "CLEAN";
    public static final String REJECTED = "REJECTED";

    public static final String MALWARE_CODE = "malware";
    public static final String BLOCKED_CODE = "blocked_content";
    public static final String TOO_LARGE_CODE = "too_large";
    public static final String BAD_REQUEST_CODE = "bad_request";

    public static final String EMPTY = "scan.empty";
    public static final String FILENAME = "scan.filename";
    public static final String SIZE_MISMATCH = "scan.size_mismatch";
    public static final String TOO_LARGE = "scan.too_large";
    public static final String ARCHIVE_TOO_LARGE = "scan.archive_too_large";
    public static final String EICAR = "scan.eicar";
    public static final String SIGNATURE_PREFIX = "scan.signature.";
    public static final String CLAMAV_PREFIX = "scan.clamav.";
    public static final String MACRO = "scan.macro";
    public static final String ZIP_BOMB = "scan.zip_bomb";
    public static final String ARCHIVE_DEPTH = "scan.archive_depth";
    public static final String ARCHIVE_ENTRIES = "scan.archive_entries";
    public static final String ARCHIVE_ENCRYPTED = "scan.archive_encrypted";
    public static final String ARCHIVE_UNSUPPORTED = "scan.archive_unsupported";
    public static final String MALFORMED = "scan.malformed";
    public static final String EXECUTABLE = "scan.executable";
    public static final String SCRIPT = "scan.script";
    public static final String TYPE_MISMATCH = "scan.type_mismatch";
    public static final String TYPE_NOT_ALLOWED = "scan.type_not_allowed";

    public static ScanVerdict clean(FileType type) {
        return new ScanVerdict(CLEAN, null, null, type.mime(), null);
    }

    public static ScanVerdict malware(String reason, String message) {
        return new ScanVerdict(REJECTED, MALWARE_CODE, reason, null, message);
    }

    public static ScanVerdict blocked(String reason, String message) {
        return new ScanVerdict(REJECTED, BLOCKED_CODE, reason, null, message);
    }

    public static ScanVerdict tooLarge(String reason, String message) {
        return new ScanVerdict(REJECTED, TOO_LARGE_CODE, reason, null, message);
    }

    public static ScanVerdict badRequest(String reason, String message) {
        return new ScanVerdict(REJECTED, BAD_REQUEST_CODE, reason, null, message);
    }

    public boolean clean() {
        return CLEAN.equals(verdict);
    }

    /** The same rejection with the detected type filled in (for the audit record). */
    ScanVerdict withContentType(FileType type) {
        return type == null || contentType != null ? this : new ScanVerdict(verdict, code, reason, type.mime(), message);
    }

    /** What a user's reputation learns: malicious content and refused kinds of files, not mistakes in a request. */
    @JsonIgnore
    public boolean countsAsViolation() {
        return REJECTED.equals(verdict) && (MALWARE_CODE.equals(code) || BLOCKED_CODE.equals(code));
    }

    /**
     * The detail code for metrics: ClamAV's signature names are an open set, so they count as
     * {@code scan.clamav}; the shipped and operator signatures are a closed list and keep their names.
     */
    public String metricReason() {
        if (reason == null) {
            return "none";
        }
        return reason.startsWith(CLAMAV_PREFIX) ? "scan.clamav" : reason;
    }
}
