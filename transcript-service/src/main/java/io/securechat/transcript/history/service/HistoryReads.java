package io.securechat.transcript.history.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.conversation.model.ReadAccess;
import io.securechat.transcript.conversation.model.ReadAccess.Basis;
import io.securechat.transcript.conversation.model.ReadAccess.Subject;
import io.securechat.transcript.conversation.repository.ConversationRepository;
import io.securechat.transcript.history.model.MessageFrame;
import io.securechat.transcript.history.model.MessagePage;
import io.securechat.transcript.message.repository.MessageRepository;
import io.securechat.transcript.messaging.AuditPublisher;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.securechat.transcript.metrics.TranscriptMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The history of one conversation, decrypted, for whoever {@link ReadAccess} allows; null (404)
 * for everyone else and for unknown conversations alike. Every read not by the conversation's
 * customer is audited ({@code transcript.read}) before it is answered, and so is every integrity
 * failure ({@code transcript.integrity_failure}): no audit record, no answer.
 */
@ApplicationScoped
public class HistoryReads {

    public static final String CONVERSATION = "conversation";

    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final Decryptor decryptor;
    private final AuditPublisher audit;
    private final TranscriptMetrics metrics;

    public HistoryReads(ConversationRepository conversations, MessageRepository messages, Decryptor decryptor,
            AuditPublisher audit, TranscriptMetrics metrics) {
        this.conversations = conversations;
        this.messages = messages;
        this.decryptor = decryptor;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** The history API: the read rule ({@link ReadAccess#read}). */
    @WithSession
    public Uni<MessagePage> messages(Reader reader, UUID id, long afterSeq, int limit) {
        return basis(reader, id).chain(basis -> answer(reader, null, basis, id, afterSeq, limit));
    }

    /**
     * A socket's resume, asked by a service ({@code via}: its principal, recorded in the audit
     * details) on behalf of the socket's user: the subscribe rule ({@link ReadAccess#subscribe}), so
     * compliance and serving agents get nothing (null, 404) here; erased conversations are nobody's.
     */
    @WithSession
    public Uni<MessagePage> resume(Reader reader, String via, UUID id, long afterSeq, int limit) {
        return subscribeBasis(reader, id).chain(basis -> answer(reader, via, basis, id, afterSeq, limit));
    }

    private Uni<MessagePage> answer(Reader reader, String via, Basis basis, UUID id, long afterSeq, int limit) {
        if (!basis.allowed()) {
            return Uni.createFrom().nullItem();
        }
        return conversations.findById(id).chain(c -> c != null && c.erasedAt != null
                // Erased (crypto-shredded): only compliance reaches here; it sees that the conversation was erased.
                ? Uni.createFrom().item(new MessagePage(id, List.of(), false, afterSeq, Boolean.TRUE))
                        .call(page -> audits(reader, via, basis, id, afterSeq, page.messages()))
                : page(reader, via, basis, id, afterSeq, limit));
    }

    private Uni<Basis> subscribeBasis(Reader reader, UUID id) {
        return conversations.findById(id).chain(c -> {
            if (c == null) {
                // Known only from its messages: supervisors may subscribe to any conversation.
                return reader.isSupervisor()
                        ? messages.anyIn(id).map(any -> any ? Basis.SUPERVISOR : Basis.NONE)
                        : Uni.createFrom().item(Basis.NONE);
            }
            return Uni.createFrom().item(c.erasedAt != null ? Basis.NONE : ReadAccess.subscribe(reader, Subject.of(c)));
        });
    }

    private Uni<MessagePage> page(Reader reader, String via, Basis basis, UUID id, long afterSeq, int limit) {
            return messages.after(id, afterSeq, limit + 1)
                    .chain(found -> decryptor.frames(found.stream().limit(limit).toList()).map(frames -> {
                        long next = frames.isEmpty() ? afterSeq : frames.get(frames.size() - 1).seq();
                        return new MessagePage(id, frames, found.size() > limit, next);
                    }))
                    .call(page -> audits(reader, via, basis, id, afterSeq, page.messages()))
                    .invoke(() -> metrics.read(basis.code()));
    }

    /**
     * Why the reader may read this conversation. A conversation known only from its messages (its
     * lifecycle events not stored yet) has no customer: only supervisors and compliance read it.
     */
    private Uni<Basis> basis(Reader reader, UUID id) {
        return conversations.findById(id).chain(c -> {
            if (c == null) {
                if (!reader.isSupervisor() && !reader.isCompliance()) {
                    return Uni.createFrom().item(Basis.NONE);
                }
                return messages.anyIn(id).map(any -> any ? ReadAccess.read(reader, new Subject(null, null), false) : Basis.NONE);
            }
            if (c.erasedAt != null) {
                return Uni.createFrom().item(reader.isCompliance() ? Basis.COMPLIANCE : Basis.NONE);
            }
            Subject subject = Subject.of(c);
            if (!ReadAccess.needsServingCheck(reader, subject)) {
                return Uni.createFrom().item(ReadAccess.read(reader, subject, false));
            }
            return conversations.servesCustomer(reader.userId(), c.customerId)
                    .map(serves -> ReadAccess.read(reader, subject, serves));
        });
    }

    private Uni<Void> audits(Reader reader, String via, Basis basis, UUID id, long afterSeq, List<MessageFrame> frames) {
        List<MessageFrame> failed = frames.stream().filter(MessageFrame::failed).toList();
        Uni<Void> out = Uni.createFrom().voidItem();
        if (ReadAccess.audited(basis)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("basis", basis.code());
            details.put("afterSeq", afterSeq);
            details.put("messageCount", frames.size());
            details.put("integrityErrors", failed.size());
            if (via != null) {
                // Read on behalf of the actor by this service principal (the gateway's resume).
                details.put("via", via);
            }
            out = out.call(() -> audit.publish(AuditEvent.of(reader, AuditEvent.TRANSCRIPT_READ, CONVERSATION,
                    id.toString(), AuditEvent.SUCCESS, details)));
        }
        if (!failed.isEmpty()) {
            out = out.call(() -> audit.publish(integrityFailure(reader, id, failed)));
        }
        return out;
    }

    /** The audit record of messages that failed to decrypt: their ids and seqs only. */
    public static AuditEvent integrityFailure(Reader reader, UUID conversationId, List<MessageFrame> failed) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("count", failed.size());
        details.put("messageIds", failed.stream().map(f -> f.messageId().toString()).toList());
        details.put("seqs", failed.stream().map(MessageFrame::seq).toList());
        return AuditEvent.of(reader, AuditEvent.INTEGRITY_FAILURE, CONVERSATION, conversationId.toString(),
                AuditEvent.FAILURE, details);
    }
}
