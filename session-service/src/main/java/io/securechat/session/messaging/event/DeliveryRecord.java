package io.securechat.session.messaging.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/** A {@code chat.delivery.v1.<nodeId>} record: a server frame for some users on one gateway node. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"v", "deliveryId", "recipients", "connectionId", "frame"})
public record DeliveryRecord(int v, UUID deliveryId, List<String> recipients, String connectionId, JsonNode frame) {}
