package io.securechat.gateway.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.CloseReason;
import io.securechat.gateway.messaging.Topics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes this node's {@code chat.delivery.v1.<nodeId>} and writes each frame to the sockets
 * of its recipients on this node (docs/events.md). {@code message} frames pass through each
 * socket's {@link ConversationCursor}, so a client gets every seq once and in order.
 */
@ApplicationScoped
public class DeliveryConsumer {

    private static final Logger LOG = Logger.getLogger(DeliveryConsumer.class);

    @Inject
    ObjectMapper json;

    @Inject
    SocketRegistry registry;

    @Inject
    SocketSender sender;

    @Inject
    SocketMetrics metrics;

    @Incoming(Topics.DELIVERY)
    public Uni<Void> deliver(String payload) {
        JsonNode d;
        try {
            d = json.readTree(payload);
        } catch (JsonProcessingException e) {
            LOG.warn("unreadable delivery record skipped");
            return Uni.createFrom().voidItem();
        }
        JsonNode frame = d.get("frame");
        if (frame == null || !frame.isObject()) {
            return Uni.createFrom().voidItem();
        }
        List<SocketSession> targets = new ArrayList<>();
        String connectionId = d.path("connectionId").asText(null);
        if (connectionId != null && !connectionId.isEmpty()) {
            SocketSession s = registry.byConnectionId(connectionId);
            if (s != null) {
                targets.add(s);
            }
        } else {
            for (JsonNode r : d.path("recipients")) {
                targets.addAll(registry.byUser(r.asText()));
            }
        }
        if (targets.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String type = frame.path("type").asText();
        String text = frame.toString();
        if (d.hasNonNull("receivedAt")) {
            try {
                metrics.deliveryLatency(Duration.between(Instant.parse(d.get("receivedAt").asText()), Instant.now()));
            } catch (RuntimeException ignored) {
                // a malformed timestamp only costs us one latency sample
            }
        }
        boolean sequenced = "message".equals(type) && frame.hasNonNull("seq") && frame.hasNonNull("conversationId");
        return Multi.createFrom().iterable(targets).onItem().transformToUniAndConcatenate(s -> {
            if (!sequenced) {
                return sender.sendRaw(s, type, text);
            }
            List<String> out = s.cursor(frame.get("conversationId").asText()).offer(frame.get("seq").asLong(), text);
            if (out == null) {
                // The client fell so far behind that the gap cannot be held: it reconnects and resumes.
                return sender.terminate(s, "out_of_sync", new CloseReason(CloseCodes.GOING_AWAY, "resubscribe"));
            }
            return Multi.createFrom().iterable(out).onItem().transformToUniAndConcatenate(f -> sender.sendRaw(s, type, f))
                    .collect().last().replaceWithVoid();
        }).collect().last().replaceWithVoid();
    }
}
