package io.securechat.transcript.message.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.securechat.transcript.message.model.StoredMessage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Stored messages and their blind-index terms. Callers own the session or transaction. */
@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<StoredMessage, UUID> {

    /**
     * Inserts unless a row with this messageId, or this conversation and seq, exists already
     * (both are unique): 1 when stored, 0 when something was there first.
     */
    public Uni<Integer> insertIfAbsent(StoredMessage m) {
        return getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO messages (message_id, conversation_id, seq, sender_user_id, sender_role, verified_agent,
                                              sent_at, data_key_id, ciphertext)
                        VALUES (?1, ?2, ?3, ?4, CAST(?5 AS text), ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING""")
                .setParameter(1, m.messageId).setParameter(2, m.conversationId).setParameter(3, m.seq)
                .setParameter(4, m.senderUserId).setParameter(5, m.senderRole).setParameter(6, m.verifiedAgent)
                .setParameter(7, m.sentAt).setParameter(8, m.dataKeyId).setParameter(9, m.ciphertext)
                .executeUpdate());
    }

    /** The blind-index terms of one message (16 bytes each, distinct). */
    public Uni<Integer> insertTerms(UUID conversationId, long seq, List<byte[]> terms) {
        if (terms.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        StringBuilder sql = new StringBuilder("INSERT INTO message_terms (conversation_id, seq, term) VALUES ");
        for (int i = 0; i < terms.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?1, ?2, ?").append(i + 3).append(')');
        }
        sql.append(" ON CONFLICT DO NOTHING");
        return getSession().chain(s -> {
            var q = s.createNativeQuery(sql.toString()).setParameter(1, conversationId).setParameter(2, seq);
            for (int i = 0; i < terms.size(); i++) {
                q.setParameter(i + 3, terms.get(i));
            }
            return q.executeUpdate();
        });
    }

    /** Messages with seq above {@code afterSeq}, in seq order, at most {@code limit}. */
    public Uni<List<StoredMessage>> after(UUID conversationId, long afterSeq, int limit) {
        return find("conversationId = ?1 and seq > ?2", Sort.by("seq"), conversationId, afterSeq)
                .page(Page.ofSize(limit)).list();
    }

    public Uni<Boolean> anyIn(UUID conversationId) {
        return count("conversationId", conversationId).map(n -> n > 0);
    }
}
