package io.securechat.moderation.ban;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * A {@code moderation.actions.v1} record (docs/events.md, docs/moderation-actions.md), key the
 * subject. {@code banId} and {@code kind} are additions readers may ignore.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"v", "actionId", "action", "banId", "kind", "subjectKind", "subject", "reason", "expiresAt", "actor",
        "occurredAt"})
public record ActionEvent(int v, String actionId, String action, String banId, String kind, String subjectKind,
        String subject, String reason, Instant expiresAt, Actor actor, Instant occurredAt) {

    public record Actor(String userId, List<String> roles) {}

    /** {@code ban}/{@code mute} for an imposed row, {@code unban}/{@code unmute} for a lifted one. */
    static ActionEvent of(Ban ban, boolean lifted, Moderator actor) {
        String action = (lifted ? "un" : "") + ban.verb();
        return new ActionEvent(1, UUID.randomUUID().toString(), action, ban.id().toString(), ban.kind(),
                ban.subjectKind(), ban.subject(), lifted ? ban.liftReason() : ban.reason(), ban.expiresAt(),
                new Actor(actor.userId(), actor.roles()), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
