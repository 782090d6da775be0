package io.securechat.audit.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * The compliance API's own use as {@code audit.events.v1} records (actions {@code audit.*}),
 * published like every other service's and appended by the same path. The call is answered only
 * once its record is durable (acks=all): no record, no answer.
 */
@ApplicationScoped
public class SelfAudit {

    private final MutinyEmitter<Record<String, String>> emitter;
    private final ObjectMapper json;

    public SelfAudit(@Channel("audit-out") MutinyEmitter<Record<String, String>> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    public Uni<Void> record(SecurityIdentity who, String action, String resourceType, String resourceId, String outcome,
            Map<String, ?> details) {
        ObjectNode e = json.createObjectNode();
        e.put("v", 1);
        e.put("eventId", UUID.randomUUID().toString());
        e.put("occurredAt", Instant.now().toString());
        ObjectNode actor = e.putObject("actor");
        if (who == null || who.isAnonymous()) {
            actor.putNull("userId");
            actor.putArray("roles");
        } else {
            actor.put("userId", who.getPrincipal().getName());
            who.getRoles().stream().sorted().forEach(actor.putArray("roles")::add);
        }
        actor.putNull("ip");
        e.put("action", action);
        e.putObject("resource").put("type", resourceType).put("id", resourceId);
        e.put("outcome", outcome);
        e.set("details", json.valueToTree(details));
        e.put("service", "audit-service");
        return emitter.send(Record.of(resourceType + ":" + resourceId, e.toString()));
    }
}
