package io.securechat.moderation.message;

import io.securechat.moderation.pipeline.Decision;
import io.securechat.moderation.pipeline.Redaction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An {@code audit.events.v1} record (docs/events.md, ARCHITECTURE section 8) of
 * moderation-service: verdicts on messages, reports, bans. Details carry ids, reason codes and
 * counts only: never message text, report text or notes.
 */
public record AuditEvent(int v, String eventId, Instant occurredAt, Actor actor, String action, Resource resource,
        String outcome, Map<String, Object> details, String service) {

    public record Actor(String userId, List<String> roles, String ip) {

        public Actor {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    public record Resource(String type, String id) {

        /** The record key: the resource's type and id ({@code ban:0193…}). */
        public String key() {
            return type + ":" + id;
        }
    }

    public static final String SERVICE = "moderation-service";
    public static final String SUCCESS = "SUCCESS";
    public static final String DENIED = "DENIED";

    /** The record key: the resource's type and id. */
    static String key(InboundMessage message) {
        return "message:" + message.messageId();
    }

    /**
     * A blocked message. The event id derives from the messageId, so the copy sent again after a
     * redelivery is the same event and the audit trail can drop it.
     */
    static AuditEvent messageRejected(InboundMessage message, Decision decision) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reasons", decision.reasons());
        details.put("conversationId", message.conversationId());
        // The gateway does not forward the client address on chat.inbound.v1, hence no ip.
        return new AuditEvent(1, derivedId("message.rejected", message.messageId()), decision.decidedAt(),
                sender(message), "message.rejected", new Resource("message", message.messageId()), DENIED, details,
                SERVICE);
    }

    /**
     * A message delivered with parts masked: the reason codes and how many spans of each kind,
     * never the text or the masked characters. Same derived event id rule as a rejection.
     */
    static AuditEvent messageRedacted(InboundMessage message, Decision decision) {
        Map<String, Integer> spans = new TreeMap<>();
        for (Redaction r : decision.redactions()) {
            spans.merge(r.kind(), 1, Integer::sum);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reasons", decision.reasons());
        details.put("conversationId", message.conversationId());
        details.put("spans", spans);
        details.put("spanCount", decision.redactions().size());
        return new AuditEvent(1, derivedId("message.redacted", message.messageId()), decision.decidedAt(),
                sender(message), "message.redacted", new Resource("message", message.messageId()), SUCCESS, details,
                SERVICE);
    }

    /** Any other act of the service, with a fresh event id. */
    public static AuditEvent of(Actor actor, String action, Resource resource, String outcome,
            Map<String, Object> details) {
        return new AuditEvent(1, UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MILLIS), actor,
                action, resource, outcome, details, SERVICE);
    }

    /**
     * An act that may be recorded twice (a redelivered command): the event id derives from the
     * action and resource, so audit-service stores it once.
     */
    public static AuditEvent once(Actor actor, String action, Resource resource, String outcome,
            Map<String, Object> details, Instant occurredAt) {
        return new AuditEvent(1, derivedId(action, resource.key()), occurredAt.truncatedTo(ChronoUnit.MILLIS), actor,
                action, resource, outcome, details, SERVICE);
    }

    private static Actor sender(InboundMessage message) {
        return new Actor(message.sender().userId(), message.sender().roles(), null);
    }

    private static String derivedId(String action, String about) {
        return UUID.nameUUIDFromBytes((SERVICE + "/" + action + "/" + about).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
