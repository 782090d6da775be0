package io.securechat.transcript.history.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.securechat.transcript.attachment.model.AttachmentView;
import io.securechat.transcript.crypto.MessageContent;
import io.securechat.transcript.message.model.StoredMessage;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored message exactly as the WebSocket {@code message} frame (ARCHITECTURE section 5). A
 * message whose ciphertext does not decrypt comes back with {@code text: null}, empty lists, no
 * display name and {@code integrityError: true}: never garbage, never someone else's text.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"type", "conversationId", "seq", "messageId", "sender", "text", "redactions", "attachments", "sentAt",
        "integrityError"})
public record MessageFrame(String type, UUID conversationId, long seq, UUID messageId, Object sender, String text,
        JsonNode redactions, List<AttachmentView> attachments, Instant sentAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean integrityError) {

    public static final String MESSAGE = "message";

    @JsonPropertyOrder({"userId", "role", "displayName", "verifiedAgent"})
    public record Sender(String userId, String role, String displayName, boolean verifiedAgent) {}

    /** The sender of a message that failed its integrity check: the display name was inside the ciphertext. */
    @JsonPropertyOrder({"userId", "role", "verifiedAgent"})
    public record BareSender(String userId, String role, boolean verifiedAgent) {}

    /** {@code attachments}: the message's linked attachments (an id no upload of the sender backs is not listed). */
    public static MessageFrame of(StoredMessage m, MessageContent c, List<AttachmentView> attachments) {
        return new MessageFrame(MESSAGE, m.conversationId, m.seq, m.messageId,
                new Sender(m.senderUserId, m.senderRole, c.displayName(), m.verifiedAgent), c.text(),
                c.redactions() == null ? JsonNodeFactory.instance.arrayNode() : c.redactions(),
                attachments == null ? List.of() : attachments, m.sentAt, null);
    }

    public static MessageFrame integrityError(StoredMessage m) {
        return new MessageFrame(MESSAGE, m.conversationId, m.seq, m.messageId,
                new BareSender(m.senderUserId, m.senderRole, m.verifiedAgent), null,
                JsonNodeFactory.instance.arrayNode(), List.of(), m.sentAt, Boolean.TRUE);
    }

    public boolean failed() {
        return Boolean.TRUE.equals(integrityError);
    }
}
