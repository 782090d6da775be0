package io.securechat.session.messaging.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A {@code chat.messages.v1} record: an accepted message with its seq (docs/events.md). */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"v", "messageId", "clientMsgId", "conversationId", "seq", "sender", "text", "redactions",
        "attachmentIds", "sentAt"})
public record MessageEvent(
        int v,
        UUID messageId,
        String clientMsgId,
        UUID conversationId,
        long seq,
        Sender sender,
        String text,
        JsonNode redactions,
        List<String> attachmentIds,
        Instant sentAt) {

    /** The sender as the server vouches for it: {@code verifiedAgent} is never taken from a client. */
    @JsonPropertyOrder({"userId", "role", "displayName", "verifiedAgent"})
    public record Sender(String userId, String role, String displayName, boolean verifiedAgent) {}
}
