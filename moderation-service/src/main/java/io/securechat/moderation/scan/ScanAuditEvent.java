package io.securechat.moderation.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code attachment.scanned} record of {@code audit.events.v1} (docs/events.md): who
 * uploaded, which attachment of which conversation, the verdict and its codes, the size and
 * the detected type. Never the file name or any of its content.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"v", "eventId", "occurredAt", "actor", "action", "resource", "outcome", "details", "service"})
public record ScanAuditEvent(int v, String eventId, Instant occurredAt, Actor actor, String action, Resource resource,
        String outcome, Map<String, Object> details, String service) {

    public static final String ACTION = "attachment.scanned";
    static final String SERVICE = "moderation-service";

    @JsonPropertyOrder({"userId", "roles", "ip"})
    public record Actor(String userId, List<String> roles, String ip) {}

    public record Resource(String type, String id) {}

    /** The record key: the resource's type and id. */
    String key() {
        return resource.type() + ":" + resource.id();
    }

    /** A verdict: SUCCESS for CLEAN, DENIED for REJECTED. */
    static ScanAuditEvent of(ScanRequest request, ScanVerdict verdict, long size, String via) {
        Map<String, Object> details = base(request, via);
        details.put("verdict", verdict.verdict());
        details.put("code", verdict.code());
        details.put("reason", verdict.reason());
        details.put("size", size);
        details.put("contentType", verdict.contentType());
        return event(request, verdict.clean() ? "SUCCESS" : "DENIED", details);
    }

    /** No verdict: the scan could not run (ClamAV configured but unreachable); the upload is refused. */
    static ScanAuditEvent unavailable(ScanRequest request, String reason, long size, String via) {
        Map<String, Object> details = base(request, via);
        details.put("verdict", "UNAVAILABLE");
        details.put("reason", reason);
        details.put("size", size);
        return event(request, "FAILURE", details);
    }

    private static Map<String, Object> base(ScanRequest request, String via) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("conversationId", request.conversationId().toString());
        details.put("via", via);
        return details;
    }

    private static ScanAuditEvent event(ScanRequest request, String outcome, Map<String, Object> details) {
        return new ScanAuditEvent(1, UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MILLIS),
                new Actor(request.uploaderId(), request.roles(), null), ACTION,
                new Resource("attachment", request.attachmentId().toString()), outcome, details, SERVICE);
    }
}
