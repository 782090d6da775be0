package io.securechat.moderation.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.securechat.moderation.ban.Ban;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A report as moderators see it in the queue (docs/moderation-actions.md): the stored row plus
 * the reported user's state now ({@code reputation}, {@code activeBan}, {@code activeMute}).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"reportId", "reportedAt", "reporterId", "reportedUserId", "conversationId", "reason", "messageIds",
        "status", "resolution", "note", "resolvedBy", "resolvedAt", "reputation", "activeBan", "activeMute"})
public record Report(UUID reportId, Instant reportedAt, String reporterId, String reportedUserId, UUID conversationId,
        String reason, List<UUID> messageIds, String status, String resolution, String note, String resolvedBy,
        Instant resolvedAt, Double reputation, Ban activeBan, Ban activeMute) {

    public static final String OPEN = "OPEN";
    public static final String RESOLVED = "RESOLVED";

    static final String COLUMNS = "id, reported_at, reporter_id, reported_user_id, conversation_id, reason, message_ids, "
            + "status, resolution, note, resolved_by, resolved_at";

    static Report of(Row r) {
        UUID[] ids = r.getArrayOfUUIDs("message_ids");
        return new Report(r.getUUID("id"), instant(r.getOffsetDateTime("reported_at")), r.getString("reporter_id"),
                r.getString("reported_user_id"), r.getUUID("conversation_id"), r.getString("reason"),
                ids == null ? List.of() : Arrays.asList(ids), r.getString("status"), r.getString("resolution"),
                r.getString("note"), r.getString("resolved_by"), instant(r.getOffsetDateTime("resolved_at")), null,
                null, null);
    }

    Report withState(Double score, Ban ban, Ban mute) {
        return new Report(reportId, reportedAt, reporterId, reportedUserId, conversationId, reason, messageIds, status,
                resolution, note, resolvedBy, resolvedAt, score, ban, mute);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
