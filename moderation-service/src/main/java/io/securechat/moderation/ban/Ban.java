package io.securechat.moderation.ban;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code bans}: a ban or a mute (told apart by {@code kind}) of a user id, guest
 * fingerprint or IP hash. The moderator API's JSON (docs/moderation-actions.md). The moderator's
 * note is stored but not part of this view.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"id", "kind", "subjectKind", "subject", "reason", "createdBy", "createdAt", "expiresAt", "reportId",
        "liftedAt", "liftedBy", "liftReason"})
public record Ban(UUID id, String kind, String subjectKind, String subject, String reason, String createdBy,
        Instant createdAt, Instant expiresAt, UUID reportId, Instant liftedAt, String liftedBy, String liftReason) {

    public static final String BAN = "BAN";
    public static final String MUTE = "MUTE";

    /** Every column this view needs, for SELECT and RETURNING alike. */
    static final String COLUMNS = "id, kind, subject_kind, subject, reason, created_by, created_at, expires_at, report_id, "
            + "lifted_at, lifted_by, lift_reason";

    static Ban of(Row r) {
        return new Ban(r.getUUID("id"), r.getString("kind"), r.getString("subject_kind"), r.getString("subject"),
                r.getString("reason"), r.getString("created_by"), instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("expires_at")), r.getUUID("report_id"),
                instant(r.getOffsetDateTime("lifted_at")), r.getString("lifted_by"), r.getString("lift_reason"));
    }

    /** {@code ban}, {@code mute}: the verb of moderation.actions.v1 and of the audit action. */
    public String verb() {
        return BAN.equals(kind) ? "ban" : "mute";
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
