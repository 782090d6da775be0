package io.securechat.session.delivery.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.securechat.session.messaging.event.MessageEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The server frames of the WebSocket protocol (ARCHITECTURE section 5) that session-service sends. */
public final class Frames {

    public static final String STARTED = "conversation.started";
    public static final String QUEUED = "conversation.queued";
    public static final String ASSIGNED = "conversation.assigned";
    public static final String TRANSFERRED = "conversation.transferred";
    public static final String CLOSED = "conversation.closed";
    public static final String MESSAGE = "message";
    public static final String TYPING = "typing";
    public static final String READ = "read";
    public static final String REJECTED = "message.rejected";
    public static final String ERROR = "error";

    private Frames() {}

    public record AgentRef(String userId, String displayName) {}

    /** {@code conversation.started|queued|assigned|transferred|closed}; optional fields are left out when absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "conversationId", "clientRef", "queue", "agent", "position"})
    public record ConversationFrame(String type, UUID conversationId, String clientRef, String queue, AgentRef agent,
            Integer position) {}

    @JsonPropertyOrder({"type", "conversationId", "seq", "messageId", "sender", "text", "redactions", "attachments", "sentAt"})
    public record MessageFrame(String type, UUID conversationId, long seq, UUID messageId, MessageEvent.Sender sender,
            String text, JsonNode redactions, List<Object> attachments, Instant sentAt) {

        public static MessageFrame of(MessageEvent m) {
            // The attachments by id, as the sender named them: the file (and its name and type)
            // comes from transcript-service, to those who may read the conversation.
            List<Object> attachments = m.attachmentIds() == null ? List.of()
                    : m.attachmentIds().stream().<Object>map(id -> java.util.Map.of("attachmentId", id)).toList();
            return new MessageFrame(MESSAGE, m.conversationId(), m.seq(), m.messageId(), m.sender(), m.text(),
                    m.redactions(), attachments, m.sentAt());
        }
    }

    /** {@code typing} and {@code read}: who, and for read up to which seq. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "conversationId", "userId", "seq"})
    public record SignalFrame(String type, UUID conversationId, String userId, Long seq) {}

    @JsonPropertyOrder({"type", "clientMsgId", "code", "reason"})
    public record RejectedFrame(String type, String clientMsgId, String code, String reason) {

        public static RejectedFrame of(String clientMsgId, String code) {
            return new RejectedFrame(REJECTED, clientMsgId, code, ErrorCodes.plainWords(code));
        }
    }

    @JsonPropertyOrder({"type", "code", "message", "ref"})
    public record ErrorFrame(String type, String code, String message, String ref) {}
}
