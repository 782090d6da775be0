package io.securechat.transcript.privacy.service;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.attachment.model.AttachmentView;
import io.securechat.transcript.attachment.service.AttachmentDescriptors;
import io.securechat.transcript.attachment.service.StreamKeys;
import io.securechat.transcript.conversation.model.Conversation;
import io.securechat.transcript.conversation.service.ConversationLocks;
import io.securechat.transcript.conversation.repository.ConversationRepository;
import io.securechat.transcript.history.model.MessageFrame;
import io.securechat.transcript.history.service.Decryptor;
import io.securechat.transcript.message.repository.MessageRepository;
import io.securechat.transcript.message.service.DataKeys;
import io.securechat.transcript.messaging.AuditPublisher;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.securechat.transcript.privacy.model.LegalHold;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * GDPR (ARCHITECTURE section 7): a subject's export, and erasure by crypto-shredding: the data keys
 * and attachment keys of every conversation where the subject is the customer are deleted (with
 * them every stored message and file of those conversations becomes undecryptable), their search
 * terms deleted, the conversations marked erased and tombstoned (late records are not stored
 * again). Refused while a legal hold covers the subject or one of their conversations.
 */
@ApplicationScoped
public class Privacy {

    public static final String SUBJECT = "subject";

    private final Pool pool;
    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final Decryptor decryptor;
    private final AttachmentDescriptors attachments;
    private final AuditPublisher audit;
    private final DataKeys dataKeys;
    private final StreamKeys streamKeys;

    public Privacy(Pool pool, ConversationRepository conversations, MessageRepository messages, Decryptor decryptor,
            AttachmentDescriptors attachments, AuditPublisher audit, DataKeys dataKeys, StreamKeys streamKeys) {
        this.pool = pool;
        this.conversations = conversations;
        this.messages = messages;
        this.decryptor = decryptor;
        this.attachments = attachments;
        this.audit = audit;
        this.dataKeys = dataKeys;
        this.streamKeys = streamKeys;
    }

    /** Who may export a subject's data: the subject themself, or compliance. */
    public static boolean mayExport(Reader reader, String subjectId) {
        return reader.userId().equals(subjectId) || reader.isCompliance();
    }

    @JsonPropertyOrder({"subjectId", "generatedAt", "conversations", "consents", "erased"})
    public record Export(String subjectId, Instant generatedAt, List<ExportedConversation> conversations,
            List<ConsentView> consents, boolean erased) {}

    @JsonPropertyOrder({"conversationId", "queue", "state", "startedAt", "closedAt", "role", "erased", "messages", "attachments"})
    public record ExportedConversation(UUID conversationId, String queue, String state, Instant startedAt, Instant closedAt,
            String role, boolean erased, List<MessageFrame> messages, List<AttachmentView> attachments) {}

    @JsonPropertyOrder({"policyVersion", "acceptedAt", "eventId"})
    public record ConsentView(String policyVersion, Instant acceptedAt, UUID eventId) {}

    /** Conversations read per page, and messages decrypted per page, by the export. */
    static final int EXPORT_PAGE = 200;

    /**
     * Every conversation where the subject is the customer (all its messages), is or was its agent
     * ({@code agentId} is only the current or last one, so also every conversation where they sent
     * a message: only the messages they sent and the files they uploaded), decrypted; erased
     * conversations without messages; the subject's consents. Conversations are read a page at a
     * time and messages are read and decrypted a page at a time (the session is cleared after each
     * page), so only the decrypted frames of the answer accumulate. Audited {@code privacy.export}
     * (counts only) before it is answered.
     */
    @WithSession
    public Uni<Export> export(Reader reader, String subject) {
        List<ExportedConversation> out = new ArrayList<>();
        return conversationPages(subject, 0, out)
                .chain(() -> pool.preparedQuery("SELECT event_id, policy_version, consent_at FROM consents WHERE subject_id = $1 "
                        + "ORDER BY consent_at, event_id").execute(Tuple.of(subject)))
                .map(rows -> {
                    List<ConsentView> consents = new ArrayList<>();
                    for (Row r : rows) {
                        consents.add(new ConsentView(r.getString("policy_version"),
                                r.getOffsetDateTime("consent_at").toInstant(), r.getUUID("event_id")));
                    }
                    return consents;
                })
                .chain(consents -> pool.preparedQuery("SELECT 1 FROM erasures WHERE subject_id = $1").execute(Tuple.of(subject))
                        .map(rows -> new Export(subject, Instant.now().truncatedTo(ChronoUnit.MILLIS), out, consents,
                                rows.iterator().hasNext())))
                .call(export -> {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("basis", reader.userId().equals(subject) ? "self" : "compliance");
                    d.put("conversationCount", export.conversations().size());
                    d.put("messageCount", export.conversations().stream().mapToInt(c -> c.messages().size()).sum());
                    d.put("attachmentCount", export.conversations().stream().mapToInt(c -> c.attachments().size()).sum());
                    d.put("consentCount", export.consents().size());
                    return audit.publish(AuditEvent.of(reader, AuditEvent.PRIVACY_EXPORT, SUBJECT, subject, AuditEvent.SUCCESS, d));
                });
    }

    private Uni<Void> conversationPages(String subject, int page, List<ExportedConversation> out) {
        return conversations.find("customerId = ?1 or agentId = ?1 or id in "
                                + "(select m.conversationId from StoredMessage m where m.senderUserId = ?1)",
                        Sort.by("startedAt").and("id"), subject)
                .page(Page.of(page, EXPORT_PAGE)).list()
                .chain(list -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Conversation c : list) {
                        chain = chain.chain(() -> exported(c, subject).invoke(out::add)).replaceWithVoid();
                    }
                    return chain.replaceWith(list.size());
                })
                .chain(n -> n < EXPORT_PAGE ? Uni.createFrom().voidItem() : conversationPages(subject, page + 1, out));
    }

    private Uni<ExportedConversation> exported(Conversation c, String subject) {
        boolean customer = subject.equals(c.customerId);
        String role = customer ? "customer" : "agent";
        if (c.erasedAt != null) {
            return Uni.createFrom().item(new ExportedConversation(c.id, c.queue, c.state, c.startedAt, c.closedAt, role, true,
                    List.of(), List.of()));
        }
        List<MessageFrame> frames = new ArrayList<>();
        return messagePages(c.id, customer ? null : subject, 0, frames)
                .chain(() -> attachments.ofConversation(c.id, customer ? null : subject))
                .map(files -> new ExportedConversation(c.id, c.queue, c.state, c.startedAt, c.closedAt, role, false,
                        frames, files));
    }

    /** The conversation's messages (only the sender's when {@code senderOrNull}) after {@code afterSeq}, a page at a time. */
    private Uni<Void> messagePages(UUID conversationId, String senderOrNull, long afterSeq, List<MessageFrame> out) {
        var query = senderOrNull == null
                ? messages.find("conversationId = ?1 and seq > ?2", Sort.by("seq"), conversationId, afterSeq)
                : messages.find("conversationId = ?1 and seq > ?2 and senderUserId = ?3", Sort.by("seq"), conversationId,
                        afterSeq, senderOrNull);
        return query.page(Page.ofSize(EXPORT_PAGE)).list()
                .chain(page -> decryptor.frames(page).invoke(out::addAll)
                        // The decrypted frames are kept; the page's ciphertext entities need not be.
                        .call(() -> messages.getSession().invoke(Mutiny.Session::clear))
                        .chain(() -> page.size() < EXPORT_PAGE ? Uni.createFrom().voidItem()
                                : messagePages(conversationId, senderOrNull, page.get(page.size() - 1).seq, out)));
    }

    @JsonPropertyOrder({"subjectId", "conversations", "keysDestroyed"})
    public record Erasure(String subjectId, int conversations, int keysDestroyed) {}

    /** An erasure refused by a legal hold (409 {@code legal_hold}). */
    public static final class HeldBack extends RuntimeException {
        public final LegalHold hold;

        HeldBack(LegalHold hold) {
            super("erasure refused: the subject is under legal hold " + hold.holdId() + ": " + hold.reason(), null, false,
                    false);
            this.hold = hold;
        }
    }

    /** Fails with {@link HeldBack} under a hold (audited as DENIED). */
    public Uni<Erasure> erase(Reader actor, String subject) {
        List<UUID> erased = new ArrayList<>();
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "SELECT id, erased_at IS NOT NULL AS erased FROM conversations WHERE customer_id = $1 ORDER BY id FOR UPDATE")
                        .execute(Tuple.of(subject))
                        .chain(rows -> {
                            List<UUID> all = new ArrayList<>();
                            List<UUID> open = new ArrayList<>();
                            for (Row r : rows) {
                                all.add(r.getUUID("id"));
                                if (!Boolean.TRUE.equals(r.getBoolean("erased"))) {
                                    open.add(r.getUUID("id"));
                                }
                            }
                            return LegalHolds.activeFor(conn, subject, all).chain(holds -> {
                                LegalHold hold = holds.stream().filter(h -> h.coversSubject(subject, all)).findFirst().orElse(null);
                                if (hold != null) {
                                    return Uni.createFrom().failure(new HeldBack(hold));
                                }
                                erased.addAll(open);
                                // Each conversation's lock, exclusive, in id order (as selected), before any key goes:
                                // waits for writers that hold it (their rows are shredded with the rest); writers that
                                // come later see the tombstone (ConversationLocks).
                                return ConversationLocks.exclusive(conn, open).chain(() -> shred(conn, subject, actor, open));
                            });
                        }))
                .invoke(e -> erased.forEach(id -> {
                    dataKeys.evict(id);
                    streamKeys.evict(id);
                }))
                .call(e -> {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("conversations", e.conversations());
                    d.put("keysDestroyed", e.keysDestroyed());
                    d.put("conversationIds", erased.stream().map(UUID::toString).toList());
                    return audit.publish(AuditEvent.of(actor, AuditEvent.PRIVACY_ERASURE, SUBJECT, subject, AuditEvent.SUCCESS, d));
                })
                .onFailure(HeldBack.class).call(t -> {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("refused", "legal_hold");
                    d.put("holdId", ((HeldBack) t).hold.holdId().toString());
                    return audit.publish(AuditEvent.of(actor, AuditEvent.PRIVACY_ERASURE, SUBJECT, subject, AuditEvent.DENIED, d));
                });
    }

    private static Uni<Erasure> shred(SqlConnection conn, String subject, Reader actor, List<UUID> ids) {
        UUID[] arr = ids.toArray(UUID[]::new);
        Tuple one = Tuple.of(arr);
        int[] keys = new int[2];
        return conn.preparedQuery("DELETE FROM conversation_keys WHERE conversation_id = ANY($1)").execute(one)
                .invoke(r -> keys[0] = r.rowCount())
                .chain(() -> conn.preparedQuery("DELETE FROM attachment_keys WHERE conversation_id = ANY($1)").execute(one))
                .invoke(r -> keys[1] = r.rowCount())
                .chain(() -> conn.preparedQuery("DELETE FROM message_terms WHERE conversation_id = ANY($1)").execute(one))
                .chain(() -> conn.preparedQuery("UPDATE conversations SET erased_at = now() WHERE id = ANY($1)").execute(one))
                .chain(() -> conn.preparedQuery("INSERT INTO conversation_tombstones (conversation_id, reason, at) "
                        + "SELECT unnest($1::uuid[]), 'erasure', clock_timestamp() ON CONFLICT (conversation_id) DO NOTHING").execute(one))
                .chain(() -> conn.preparedQuery("""
                                INSERT INTO erasures (subject_id, erased_by, conversations, keys_destroyed) VALUES ($1, $2, $3, $4)
                                ON CONFLICT (subject_id) DO UPDATE SET erased_at = now(), erased_by = EXCLUDED.erased_by,
                                    conversations = erasures.conversations + EXCLUDED.conversations,
                                    keys_destroyed = erasures.keys_destroyed + EXCLUDED.keys_destroyed""")
                        .execute(Tuple.of(subject, actor.userId(), ids.size(), keys[0] + keys[1])))
                .map(r -> new Erasure(subject, ids.size(), keys[0] + keys[1]));
    }
}
