package io.securechat.session.message.service;

import io.securechat.session.Instants;
import io.securechat.session.conversation.model.Conversation;
import io.securechat.session.conversation.model.ConversationAccess;
import io.securechat.session.conversation.model.ConversationAccess.Action;
import io.securechat.session.conversation.model.ConversationAccess.Decision;
import io.securechat.session.conversation.model.Relation;
import io.securechat.session.conversation.repository.ConversationRepository;
import io.securechat.session.delivery.model.ErrorCodes;
import io.securechat.session.delivery.model.Frames;
import io.securechat.session.delivery.service.Effects;
import io.securechat.session.delivery.service.TransactionalOutbox;
import io.securechat.session.message.repository.MessageRepository;
import io.securechat.session.messaging.event.AuditEvent;
import io.securechat.session.messaging.event.MessageEvent;
import io.securechat.session.messaging.event.ModeratedRecord;
import io.securechat.session.metrics.SessionMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives accepted messages their seq and rejects the others. Per message, one transaction
 * claims the messageId, locks the conversation, bumps {@code last_seq} and stores the message
 * with the records it produces; so a redelivered record keeps its seq and is never sequenced
 * twice.
 */
@ApplicationScoped
public class MessageSequencer {

    private final TransactionalOutbox tx;
    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final SessionMetrics metrics;

    public MessageSequencer(TransactionalOutbox tx, ConversationRepository conversations, MessageRepository messages,
            SessionMetrics metrics) {
        this.tx = tx;
        this.conversations = conversations;
        this.messages = messages;
        this.metrics = metrics;
    }

    public Uni<Void> handle(ModeratedRecord m) {
        return tx.once("message:" + m.messageId(), m.conversationId(), (c, fx) -> conversations.lock(c, m.conversationId())
                .chain(conv -> {
                    Decision decision = ConversationAccess.decide(Action.SEND, m.sender(), conv);
                    if (decision != Decision.ALLOW) {
                        reject(fx, m, switch (decision) {
                            case NOT_FOUND -> ErrorCodes.NOT_FOUND;
                            case CLOSED -> ErrorCodes.CONVERSATION_CLOSED;
                            default -> ErrorCodes.FORBIDDEN;
                        });
                        return Uni.createFrom().voidItem();
                    }
                    if (ModeratedRecord.BLOCK.equals(m.verdict())) {
                        reject(fx, m, ErrorCodes.known(m.reasons().isEmpty() ? null : m.reasons().getFirst()));
                        return Uni.createFrom().voidItem();
                    }
                    Instant now = Instants.now();
                    return messages.nextSeq(c, conv.id(), now).chain(seq -> {
                        MessageEvent event = accepted(m, conv, seq, now);
                        return messages.insert(c, event).invoke(() -> {
                            fx.message(event);
                            fx.toUsers(conv.id(), conv.participants(), Frames.MessageFrame.of(event));
                            fx.audit(AuditEvent.of(m.sender(), "message.accepted", "message", m.messageId().toString(),
                                    AuditEvent.SUCCESS, details(m, conv.id().toString(), seq)));
                            fx.afterPublish(() -> metrics.sequenced(m.verdict()));
                        });
                    });
                }));
    }

    private static MessageEvent accepted(ModeratedRecord m, Conversation conv, long seq, Instant now) {
        Relation relation = conv.relationOf(m.sender().userId());
        String role = switch (relation) {
            case AGENT -> "agent";
            case SUPERVISOR -> "supervisor";
            default -> conv.customerGuest() ? "guest" : "customer";
        };
        var redactions = m.redactions() != null && m.redactions().isArray()
                ? m.redactions()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        return new MessageEvent(1, m.messageId(), m.clientMsgId(), conv.id(), seq,
                new MessageEvent.Sender(m.sender().userId(), role, m.sender().displayName(), relation.staff()),
                m.text() == null ? "" : m.text(), redactions, m.attachmentIds(), now);
    }

    /** {@code message.rejected} to the sending connection only; audited with codes, never text. */
    private void reject(Effects fx, ModeratedRecord m, String code) {
        fx.toConnection(m.conversationId().toString(), m.gatewayNode(), m.connectionId(), m.sender().userId(),
                Frames.RejectedFrame.of(m.clientMsgId(), code));
        Map<String, Object> details = details(m, m.conversationId().toString(), null);
        details.put("reasons", ModeratedRecord.BLOCK.equals(m.verdict()) && !m.reasons().isEmpty() ? m.reasons() : List.of(code));
        fx.audit(AuditEvent.of(m.sender(), "message.rejected", "message", m.messageId().toString(), AuditEvent.DENIED,
                details));
        fx.afterPublish(() -> metrics.rejected(code));
    }

    private static Map<String, Object> details(ModeratedRecord m, String conversationId, Long seq) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("conversationId", conversationId);
        out.put("verdict", m.verdict());
        if (seq != null) {
            out.put("seq", seq);
        }
        return out;
    }
}
