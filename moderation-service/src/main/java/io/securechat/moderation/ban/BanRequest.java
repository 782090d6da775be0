package io.securechat.moderation.ban;

import io.securechat.platform.api.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/moderation/bans} (docs/moderation-actions.md), as sent. Every
 * field arrives as text and is checked here, so a bad value gets a 400 that names the field and
 * never echoes it.
 */
public record BanRequest(String subjectKind, String subject, String kind, String reason, String duration,
        String expiresAt, String reportId, String note) {

    public static final Set<String> SUBJECT_KINDS = Set.of("USER", "GUEST_FINGERPRINT", "IP_HASH");
    public static final Set<String> KINDS = Set.of(Ban.BAN, Ban.MUTE);
    /** A reason code or a short label: it travels on moderation.actions.v1 and into the audit trail. */
    static final Pattern REASON = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.\\-]{0,63}");
    /** A Keycloak subject or {@code guest:<uuid>}; a few more characters allowed, no spaces or controls. */
    static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:_.@\\-]{0,127}");
    /** Guest fingerprints and IP hashes: HMAC-SHA256 in lowercase hex. */
    static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    static final Duration SHORTEST = Duration.ofMinutes(1);
    static final Duration LONGEST = Duration.ofDays(3650);
    static final int NOTE_MAX = 1000;

    /** The order this request stands for, checked against {@code now}. */
    public BanOrder check(Instant now) {
        String sk = required("subjectKind", subjectKind);
        if (!SUBJECT_KINDS.contains(sk)) {
            throw new ApiError.BadRequest("subjectKind must be USER, GUEST_FINGERPRINT or IP_HASH");
        }
        String s = required("subject", subject);
        if ("USER".equals(sk) ? !USER_ID.matcher(s).matches() : !HASH.matcher(s).matches()) {
            throw new ApiError.BadRequest("USER".equals(sk) ? "subject must be a user id"
                    : "subject must be 64 lowercase hexadecimal characters for " + sk);
        }
        String k = required("kind", kind);
        if (!KINDS.contains(k)) {
            throw new ApiError.BadRequest("kind must be BAN or MUTE");
        }
        return new BanOrder(k, sk, s, reason(reason), expiry(now), checkedReportId(), checkedNote());
    }

    /** A reason given to a create or a lift: {@code fallback} when absent. */
    public static String reason(String raw, String fallback) {
        return raw == null || raw.isBlank() ? fallback : reason(raw);
    }

    private static String reason(String raw) {
        String r = required("reason", raw);
        if (!REASON.matcher(r).matches()) {
            throw new ApiError.BadRequest("reason must be 1 to 64 letters, digits, spaces or _.- (a code or a short "
                    + "label; free text goes in note)");
        }
        return r;
    }

    private Instant expiry(Instant now) {
        boolean hasDuration = duration != null && !duration.isBlank();
        boolean hasExpiry = expiresAt != null && !expiresAt.isBlank();
        if (hasDuration && hasExpiry) {
            throw new ApiError.BadRequest("give duration or expiresAt, not both");
        }
        if (hasDuration) {
            Duration d;
            try {
                d = Duration.parse(duration.strip());
            } catch (DateTimeParseException e) {
                throw new ApiError.BadRequest("duration must be an ISO-8601 duration such as PT24H");
            }
            if (d.compareTo(SHORTEST) < 0 || d.compareTo(LONGEST) > 0) {
                throw new ApiError.BadRequest("duration must be between PT1M and P3650D");
            }
            return now.plus(d).truncatedTo(ChronoUnit.MILLIS);
        }
        if (hasExpiry) {
            Instant t;
            try {
                t = Instant.parse(expiresAt.strip());
            } catch (DateTimeParseException e) {
                throw new ApiError.BadRequest("expiresAt must be an ISO-8601 instant such as 2026-11-26T08:00:00Z");
            }
            if (!t.isAfter(now) || t.isAfter(now.plus(LONGEST))) {
                throw new ApiError.BadRequest("expiresAt must lie in the future, at most 3650 days ahead");
            }
            return t.truncatedTo(ChronoUnit.MILLIS);
        }
        return null;
    }

    private UUID checkedReportId() {
        if (reportId == null || reportId.isBlank()) {
            return null;
        }
        UUID id = ApiError.uuidOrNull(reportId.strip());
        if (id == null) {
            throw new ApiError.BadRequest("reportId must be a report id");
        }
        return id;
    }

    private String checkedNote() {
        if (note == null || note.isBlank()) {
            return null;
        }
        if (note.length() > NOTE_MAX) {
            throw new ApiError.BadRequest("note must be at most " + NOTE_MAX + " characters");
        }
        return note.strip();
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ApiError.BadRequest(field + " is required");
        }
        return value.strip();
    }
}
