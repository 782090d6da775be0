package io.securechat.moderation.message;

import io.securechat.moderation.pipeline.Decision;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An {@code audit.events.v1} record (docs/events.md, ARCHITECTURE section 8). Details carry ids
 * and reason codes only: never message text.
 */
public record AuditEvent(int v, String eventId, Instant occurredAt, Actor actor, String action, Resource resource,
        String outcome, Details details, String service) {

    public record Actor(String userId, List<String> roles, String ip) {}

    public record Resource(String type, String id) {}

    public record Details(List<String> reasons, String conversationId) {}

    static final String SERVICE = "moderation-service";

    /** The record key: the resource's type and id. */
    static String key(InboundMessage message) {
        return "message:" + message.messageId();
    }

    /**
     * A blocked message. The event id derives from the messageId, so the copy sent again after a
     * redelivery is the same event and the audit trail can drop it.
     */
    static AuditEvent messageRejected(InboundMessage message, Decision decision) {
        String eventId = UUID.nameUUIDFromBytes((SERVICE + "/message.rejected/" + message.messageId())
                .getBytes(StandardCharsets.UTF_8)).toString();
        // The gateway does not forward the client address on chat.inbound.v1, hence no ip.
        return new AuditEvent(1, eventId, decision.decidedAt(),
                new Actor(message.sender().userId(), message.sender().roles(), null),
                "message.rejected", new Resource("message", message.messageId()), "DENIED",
                new Details(decision.reasons(), message.conversationId()), SERVICE);
    }
}
