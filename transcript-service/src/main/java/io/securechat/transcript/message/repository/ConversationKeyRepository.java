package io.securechat.transcript.message.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.securechat.transcript.conversation.service.ConversationLocks;
import io.securechat.transcript.message.model.ConversationKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Wrapped data keys. Callers own the session or transaction. */
@ApplicationScoped
public class ConversationKeyRepository implements PanacheRepositoryBase<ConversationKey, UUID> {

    /**
     * 1 when this key became the conversation's key, 0 when another one was stored first or the
     * conversation is tombstoned (a second guard behind the conversation lock's tombstone check).
     */
    public Uni<Integer> insertIfAbsent(UUID conversationId, byte[] wrapped, long kekKeyId) {
        return getSession().chain(s -> s.createNativeQuery(
                        "INSERT INTO conversation_keys (conversation_id, wrapped_key, kek_key_id)"
                        + " SELECT CAST(?1 AS uuid), CAST(?2 AS bytea), CAST(?3 AS bigint)"
                        + " WHERE " + ConversationLocks.notTombstoned("CAST(?1 AS uuid)")
                        + " ON CONFLICT (conversation_id) DO NOTHING")
                .setParameter(1, conversationId).setParameter(2, wrapped).setParameter(3, kekKeyId)
                .executeUpdate());
    }

    /**
     * Up to {@code limit} keys not wrapped with {@code kekKeyId} whose conversation id is above
     * {@code after} (null: from the start), in id order, locked for this transaction; rows another
     * transaction holds are skipped, so a concurrent writer is never waited for.
     */
    public Uni<List<ConversationKey>> lockBatch(long kekKeyId, UUID after, int limit) {
        String sql = "SELECT * FROM conversation_keys WHERE kek_key_id <> ?1"
                + (after == null ? "" : " AND conversation_id > ?3")
                + " ORDER BY conversation_id LIMIT ?2 FOR UPDATE SKIP LOCKED";
        return getSession().chain(s -> {
            var q = s.createNativeQuery(sql, ConversationKey.class).setParameter(1, kekKeyId).setParameter(2, limit);
            if (after != null) {
                q.setParameter(3, after);
            }
            return q.getResultList();
        });
    }

    public Uni<Long> countNotWrappedWith(long kekKeyId) {
        return count("kekKeyId <> ?1", kekKeyId);
    }
}
