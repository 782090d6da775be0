package io.securechat.transcript.messaging.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.securechat.transcript.api.Reader;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An {@code audit.events.v1} record (docs/events.md, ARCHITECTURE section 8). {@code details}
 * holds ids, counts and rule codes only: never message text, search words or key material.
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

    public static final String SERVICE = "transcript-service";
    public static final String SUCCESS = "SUCCESS";
    public static final String DENIED = "DENIED";
    public static final String FAILURE = "FAILURE";

    public static final String TRANSCRIPT_READ = "transcript.read";
    public static final String INTEGRITY_FAILURE = "transcript.integrity_failure";
    public static final String TRANSCRIPT_SEARCH = "transcript.search";
    public static final String KEY_ROTATED = "key.rotated";
    public static final String ATTACHMENT_UPLOADED = "attachment.uploaded";
    public static final String ATTACHMENT_REJECTED = "attachment.rejected";
    public static final String ATTACHMENT_DOWNLOADED = "attachment.downloaded";
    public static final String RETENTION_POLICY_CHANGED = "retention.policy.changed";
    public static final String RETENTION_PURGE = "retention.purge";
    public static final String LEGAL_HOLD_SET = "legal_hold.set";
    public static final String LEGAL_HOLD_LIFTED = "legal_hold.lifted";
    public static final String PRIVACY_EXPORT = "privacy.export";
    public static final String PRIVACY_ERASURE = "privacy.erasure";

    /** The actor of what the service does on its own (the scheduled purge). */
    public static final Reader SYSTEM = new Reader("system:" + SERVICE, java.util.List.of());

    public static AuditEvent of(Reader actor, String action, String resourceType, String resourceId, String outcome,
            Map<String, Object> details) {
        return new AuditEvent(1, UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MILLIS),
                new Actor(actor.userId(), actor.roles(), null), action, new Resource(resourceType, resourceId), outcome,
                details, SERVICE);
    }

    @JsonPropertyOrder({"userId", "roles", "ip"})
    public record Actor(String userId, List<String> roles, String ip) {}

    public record Resource(String type, String id) {

        /** The record key: resource type and id ({@code conversation:0193…}). */
        public String key() {
            return type + ":" + id;
        }
    }
}
