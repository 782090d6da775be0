package io.securechat.transcript.messaging.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A {@code chat.messages.v1} record as this service reads it (docs/events.md); unknown fields are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"v", "messageId", "clientMsgId", "conversationId", "seq", "sender", "text", "redactions",
        "attachmentIds", "sentAt"})
public record MessageEvent(
        int v,
        UUID messageId,
        String clientMsgId,
        UUID conversationId,
        Long seq,
        Sender sender,
        String text,
        JsonNode redactions,
        List<String> attachmentIds,
        Instant sentAt) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"userId", "role", "displayName", "verifiedAgent"})
    public record Sender(String userId, String role, String displayName, boolean verifiedAgent) {}

    /** What makes a record unusable, or null when it can be stored. */
    public String problem() {
        if (messageId == null || conversationId == null) {
            return "message without messageId or conversationId";
        }
        if (seq == null || seq < 1) {
            return "message without a seq of 1 or more";
        }
        if (sender == null || sender.userId() == null || sender.userId().isBlank()) {
            return "message without a sender userId";
        }
        if (sentAt == null) {
            return "message without sentAt";
        }
        return null;
    }
}
