package io.securechat.moderation.conversation;

import java.time.Instant;
import java.util.Set;

/**
 * A {@code chat.conversations.v1} lifecycle event (docs/events.md), as far as this service reads
 * it: which queue a conversation is in. This service's own copy of the contract; other fields are
 * ignored.
 */
public record ConversationEvent(int v, String eventId, String type, String conversationId, String queue,
        Instant occurredAt) {

    static final Set<String> TYPES = Set.of("started", "queued", "assigned", "transferred", "closed");

    /** What makes the event unusable here, or null. Every type names the conversation's queue at that moment. */
    String problem() {
        if (conversationId == null || conversationId.isBlank() || occurredAt == null) {
            return "conversation event without conversationId or occurredAt";
        }
        if (type == null || !TYPES.contains(type)) {
            return "conversation event of an unknown type";
        }
        if (queue == null || queue.isBlank()) {
            return "conversation event without a queue";
        }
        return null;
    }
}
