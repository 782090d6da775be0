package io.securechat.session.delivery.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/**
 * One thing a transaction produces: a server frame for some users (routed to gateway nodes at
 * publish time) or a record for one of the service's topics. Stored as JSON in the outbox.
 *
 * @param key the Kafka record key (conversationId, or the resource for audit events)
 * @param payload the frame (for {@link Target#DELIVERY}) or the event
 * @param node for a frame to one connection: the gateway node that holds it
 * @param deliveryId for frames: the same on every node's record and on a republish
 */
public record Output(Target target, String key, JsonNode payload, List<String> recipients, String node,
        String connectionId, UUID deliveryId) {

    public enum Target { DELIVERY, MESSAGES, CONVERSATIONS, AUDIT }

    public Output {
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }

    public String frameType() {
        return payload.path("type").asText("unknown");
    }
}
