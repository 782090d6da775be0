package io.securechat.gateway.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securechat.gateway.identity.ChatPrincipal;
import io.securechat.gateway.identity.UuidV7;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Security-relevant acts of the gateway as {@code audit.events.v1} records (docs/events.md).
 * Details hold ids and codes only, never message text, tokens or secrets.
 */
@ApplicationScoped
public class AuditEvents {

    private static final Logger LOG = Logger.getLogger(AuditEvents.class);

    @Inject
    ChatPublisher publisher;

    @Inject
    ObjectMapper json;

    public Uni<Void> record(ChatPrincipal actor, String action, String resourceType, String resourceId, String outcome,
            Map<String, ?> details) {
        ObjectNode e = json.createObjectNode();
        e.put("v", 1);
        e.put("eventId", UuidV7.next().toString());
        e.put("occurredAt", Instant.now().toString());
        ObjectNode a = e.putObject("actor");
        if (actor != null) {
            a.put("userId", actor.userId());
            actor.roles().forEach(a.putArray("roles")::add);
        } else {
            a.putNull("userId");
            a.putArray("roles");
        }
        a.putNull("ip");
        e.put("action", action);
        e.putObject("resource").put("type", resourceType).put("id", resourceId);
        e.put("outcome", outcome);
        e.set("details", json.valueToTree(details));
        e.put("service", "gateway-service");
        return publisher.audit(resourceType + ":" + resourceId, e)
                .onFailure().invoke(t -> LOG.warnf("audit event %s for %s:%s not written: %s", action, resourceType,
                        resourceId, t.getClass().getSimpleName()));
    }
}
