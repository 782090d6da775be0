package io.securechat.session.messaging.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.securechat.session.Instants;
import java.time.Instant;
import java.util.UUID;

/** A {@code chat.conversations.v1} lifecycle event (docs/events.md); absent values are written as null. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"v", "eventId", "type", "conversationId", "queue", "customerId", "agentId", "actor", "reason", "occurredAt"})
public record ConversationEvent(
        int v,
        UUID eventId,
        String type,
        UUID conversationId,
        String queue,
        String customerId,
        String agentId,
        ActorRecord actor,
        String reason,
        Instant occurredAt) {

    public static final String STARTED = "started";
    public static final String QUEUED = "queued";
    public static final String ASSIGNED = "assigned";
    public static final String TRANSFERRED = "transferred";
    public static final String CLOSED = "closed";

    /** An event about something that happened now; {@code actor} is null for the service's own jobs. */
    public static ConversationEvent of(String type, UUID conversationId, String queue, String customerId, String agentId,
            ActorRecord actor, String reason) {
        return new ConversationEvent(1, UUID.randomUUID(), type, conversationId, queue, customerId, agentId, actor, reason,
                Instants.now());
    }
}
