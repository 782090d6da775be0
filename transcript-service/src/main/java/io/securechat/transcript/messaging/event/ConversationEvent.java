package io.securechat.transcript.messaging.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A {@code chat.conversations.v1} lifecycle event as this service reads it (docs/events.md). */
@JsonIgnoreProperties(ignoreUnknown = true)
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
        JsonNode actor,
        String reason,
        Instant occurredAt) {

    public static final String STARTED = "started";
    public static final String QUEUED = "queued";
    public static final String ASSIGNED = "assigned";
    public static final String TRANSFERRED = "transferred";
    public static final String CLOSED = "closed";
    static final Set<String> TYPES = Set.of(STARTED, QUEUED, ASSIGNED, TRANSFERRED, CLOSED);

    /** What makes a record unusable, or null. */
    public String problem() {
        if (conversationId == null || type == null || occurredAt == null) {
            return "conversation event without conversationId, type or occurredAt";
        }
        return TYPES.contains(type) ? null : "conversation event of an unknown type";
    }

    /** The state the conversation is in after this event. */
    public String state() {
        return switch (type) {
            case ASSIGNED -> "ASSIGNED";
            // A transfer to an agent names the agent; a transfer to a queue does not.
            case TRANSFERRED -> agentId != null ? "ASSIGNED" : "QUEUED";
            case CLOSED -> "CLOSED";
            default -> "QUEUED";
        };
    }
}
