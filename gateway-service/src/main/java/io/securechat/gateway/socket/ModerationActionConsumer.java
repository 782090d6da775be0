package io.securechat.gateway.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.CloseReason;
import io.securechat.gateway.messaging.AuditEvents;
import io.securechat.gateway.messaging.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code moderation.actions.v1} (docs/events.md) on every node: a {@code ban} closes
 * the banned user's, guest fingerprint's or IP hash's sockets on this node with
 * {@code session.terminated} and 4403, within the time the record takes to arrive (well under a
 * second). New sockets of a banned client are refused before the upgrade ({@code UpgradeGuard}).
 */
@ApplicationScoped
public class ModerationActionConsumer {

    private static final Logger LOG = Logger.getLogger(ModerationActionConsumer.class);

    @Inject
    ObjectMapper json;

    @Inject
    SocketRegistry registry;

    @Inject
    SocketSender sender;

    @Inject
    AuditEvents audit;

    @Incoming(Topics.MODERATION_ACTIONS)
    public void onAction(String payload) {
        JsonNode a;
        try {
            a = json.readTree(payload);
        } catch (JsonProcessingException e) {
            LOG.warn("unreadable moderation action skipped");
            return;
        }
        if (!"ban".equals(a.path("action").asText())) {
            return; // mutes act on messages (moderation-service); unban and unmute need nothing here
        }
        String kind = a.path("subjectKind").asText();
        String subject = a.path("subject").asText();
        if (subject.isEmpty()) {
            return;
        }
        List<SocketSession> hit = new ArrayList<>();
        switch (kind) {
            case "USER" -> hit.addAll(registry.byUser(subject));
            case "GUEST_FINGERPRINT" -> registry.all().stream()
                    .filter(s -> subject.equals(s.principal.fingerprint())).forEach(hit::add);
            case "IP_HASH" -> registry.all().stream()
                    .filter(s -> subject.equals(s.ipHash)).forEach(hit::add);
            default -> {
                return;
            }
        }
        for (SocketSession s : hit) {
            sender.terminate(s, "banned", new CloseReason(CloseCodes.BANNED, "banned")).subscribe().with(v -> {}, t -> {});
            audit.record(s.principal, "connection.banned", "connection", s.connectionId, "SUCCESS",
                    Map.of("actionId", a.path("actionId").asText())).subscribe().with(v -> {}, t -> {});
        }
    }
}
