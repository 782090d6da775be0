package io.securechat.session.messaging.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.securechat.session.Instants;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An {@code audit.events.v1} record (docs/events.md, ARCHITECTURE section 8). {@code details}
 * holds ids and reason codes only, never message text.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"v", "eventId", "occurredAt", "actor", "action", "resource", "outcome", "details", "service"})
public record AuditEvent(
        int v,
        UUID eventId,
        Instant occurredAt,
        Actor actor,
        String action,
        Resource resource,
        String outcome,
        Map<String, Object> details,
        String service) {

    public static final String SERVICE = "session-service";
    public static final String SUCCESS = "SUCCESS";
    public static final String DENIED = "DENIED";

    /** An event about something that happened now. */
    public static AuditEvent of(ActorRecord actor, String action, String resourceType, String resourceId, String outcome,
            Map<String, Object> details) {
        return new AuditEvent(1, UUID.randomUUID(), Instants.now(), Actor.of(actor), action,
                new Resource(resourceType, resourceId), outcome, details, SERVICE);
    }

    /** The service itself, for what its jobs do (assignment, idle close). */
    public static final Actor SYSTEM = new Actor(SERVICE, List.of(), null);

    @JsonPropertyOrder({"userId", "roles", "ip"})
    public record Actor(String userId, List<String> roles, String ip) {

        public static Actor of(ActorRecord a) {
            return a == null ? SYSTEM : new Actor(a.userId(), a.roles(), null);
        }
    }

    public record Resource(String type, String id) {

        /** The record key: resource type and id ({@code conversation:0193…}). */
        public String key() {
            return type + ":" + id;
        }
    }
}
