package io.securechat.session.conversation.service;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.securechat.session.conversation.model.ConversationAccess;
import io.securechat.session.conversation.model.ConversationAccess.Read;
import io.securechat.session.conversation.model.ConversationAccess.ReadBasis;
import io.securechat.session.conversation.model.ConversationSummary;
import io.securechat.session.conversation.repository.ConversationRepository;
import io.securechat.session.delivery.model.Frames;
import io.securechat.session.delivery.service.Effects;
import io.securechat.session.delivery.service.TransactionalOutbox;
import io.securechat.session.message.repository.MessageRepository;
import io.securechat.session.messaging.event.ActorRecord;
import io.securechat.session.messaging.event.AuditEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads of conversations for the REST API (agent console, customer widget), authorized by
 * {@link ConversationAccess#read}. A read that is not allowed answers null, as for an unknown
 * conversation: the resources turn both into 404.
 */
@ApplicationScoped
public class ConversationReads {

    /** Audit action of a message (transcript) read. */
    public static final String TRANSCRIPT_READ = "transcript.read";

    /** The most open conversations a staff member gets back (tabs of a console). */
    static final int MAX_OPEN = 200;

    /** A page of messages, each exactly as the WebSocket {@code message} frame. */
    @JsonPropertyOrder({"conversationId", "messages", "hasMore", "nextAfterSeq"})
    public record MessagePage(UUID conversationId, List<Frames.MessageFrame> messages, boolean hasMore,
            long nextAfterSeq) {}

    private final Pool pool;
    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final TransactionalOutbox outbox;

    public ConversationReads(Pool pool, ConversationRepository conversations, MessageRepository messages,
            TransactionalOutbox outbox) {
        this.pool = pool;
        this.conversations = conversations;
        this.messages = messages;
        this.outbox = outbox;
    }

    public Uni<ConversationSummary> summary(ActorRecord reader, UUID id) {
        return conversations.summary(pool, id)
                .chain(c -> basis(Read.SUMMARY, reader, c).map(b -> b.allowed() ? c : null));
    }

    /**
     * Messages with seq above {@code afterSeq}, in seq order, from the temporary {@code messages}
     * table (7 days; transcript-service serves this path from issue 5 on). Every read not by the
     * conversation's customer is audited ({@code transcript.read}, counts only) before it is answered.
     */
    public Uni<MessagePage> messages(ActorRecord reader, UUID id, long afterSeq, int limit) {
        return conversations.summary(pool, id).chain(c -> basis(Read.MESSAGES, reader, c).chain(b -> {
            if (!b.allowed()) {
                return Uni.createFrom().nullItem();
            }
            return messages.after(pool, id, afterSeq, limit + 1).chain(found -> {
                boolean more = found.size() > limit;
                List<Frames.MessageFrame> page = found.stream().limit(limit).map(Frames.MessageFrame::of).toList();
                long next = page.isEmpty() ? afterSeq : page.get(page.size() - 1).seq();
                MessagePage result = new MessagePage(id, page, more, next);
                if (!ConversationAccess.audited(b)) {
                    return Uni.createFrom().item(result);
                }
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("basis", b.code());
                details.put("afterSeq", afterSeq);
                details.put("messageCount", page.size());
                Effects fx = outbox.effects().audit(AuditEvent.of(reader, TRANSCRIPT_READ,
                        ConversationTransitions.CONVERSATION, id.toString(), AuditEvent.SUCCESS, details));
                return outbox.record(fx).replaceWith(result);
            });
        }));
    }

    /** A customer's conversations, newest first; null when the reader may not list them. */
    public Uni<List<ConversationSummary>> ofCustomer(ActorRecord reader, String customerId, int limit) {
        ReadBasis b = ConversationAccess.listOfCustomer(reader, customerId, false);
        Uni<ReadBasis> basis = b.allowed() || !reader.isAgent() ? Uni.createFrom().item(b)
                : conversations.servesCustomer(pool, reader.userId(), customerId)
                        .map(serves -> ConversationAccess.listOfCustomer(reader, customerId, serves));
        return basis.chain(allowed -> allowed.allowed()
                ? conversations.summariesOfCustomer(pool, customerId, limit)
                : Uni.createFrom().nullItem());
    }

    /** The reader's open conversations: assigned to them, and for supervisors those they subscribed to. */
    public Uni<List<ConversationSummary>> openOfStaff(ActorRecord reader) {
        return conversations.openOfStaff(pool, reader.userId(), reader.isSupervisor(), MAX_OPEN);
    }

    /** The database is asked whether an agent serves the customer only when nothing else allows the read. */
    private Uni<ReadBasis> basis(Read what, ActorRecord reader, ConversationSummary c) {
        ReadBasis b = ConversationAccess.read(what, reader, c, false);
        if (c == null || b.allowed() || !reader.isAgent()) {
            return Uni.createFrom().item(b);
        }
        return conversations.servesCustomer(pool, reader.userId(), c.customerId())
                .map(serves -> ConversationAccess.read(what, reader, c, serves));
    }
}
