package io.securechat.transcript.conversation.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * One PostgreSQL advisory lock per conversation, keyed by {@code hashtextextended(id::text, 0)}
 * (64 bits), held until the end of the transaction that takes it:
 *
 * <ul>
 *   <li>every <b>write path</b> (a message with its data key, terms and attachment links; an
 *       attachment key, an upload's row and its completion) takes it <b>shared</b>, then re-reads
 *       the tombstone in the same transaction and writes nothing when there is one;</li>
 *   <li><b>erasure and purge</b> take it <b>exclusive</b> for each conversation, in conversation id
 *       order (as {@code ORDER BY id} sorts them), before they delete keys and write the tombstone.</li>
 * </ul>
 *
 * So a writer either committed before the erasure or purge started deleting (its rows and key are
 * deleted or shredded with the others), or it starts after the tombstone committed and sees it.
 * Writers never wait for each other. The tombstone check must be its own statement, after the
 * lock: in READ COMMITTED only a statement started after the lock was granted sees the tombstone
 * committed while we waited.
 */
public final class ConversationLocks {

    private ConversationLocks() {}

    /** The lock key of the conversation bound as {@code $1} / {@code ?1} (a uuid). */
    static final String KEY = "hashtextextended(CAST(CAST(%s AS uuid) AS text), 0)";

    private static final String SHARED_PG = "SELECT 1 FROM (SELECT pg_advisory_xact_lock_shared(" + KEY.formatted("$1")
            + ")) AS l";
    private static final String EXCLUSIVE_PG = "SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + KEY.formatted("$1") + ")) AS l";
    private static final String TOMBSTONED_PG = "SELECT count(*) FROM conversation_tombstones WHERE conversation_id = $1";

    private static final String SHARED_HR = "SELECT 1 FROM (SELECT pg_advisory_xact_lock_shared(" + KEY.formatted("?1")
            + ")) AS l";
    private static final String TOMBSTONED_HR = "SELECT count(*) FROM conversation_tombstones WHERE conversation_id = ?1";

    /** SQL guard for key inserts: {@code WHERE NOT EXISTS} a tombstone of the conversation bound as {@code p}. */
    public static String notTombstoned(String p) {
        return "NOT EXISTS (SELECT 1 FROM conversation_tombstones t WHERE t.conversation_id = " + p + ")";
    }

    /**
     * Takes the conversation's lock shared in {@code conn}'s transaction and answers whether it is
     * tombstoned (purged or erased): then the caller must write nothing.
     */
    public static Uni<Boolean> sharedThenTombstoned(SqlConnection conn, UUID conversationId) {
        Tuple id = Tuple.of(conversationId);
        return conn.preparedQuery(SHARED_PG).execute(id)
                .chain(() -> conn.preparedQuery(TOMBSTONED_PG).execute(id))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    /** The same, in a Hibernate Reactive session's transaction. */
    public static Uni<Boolean> sharedThenTombstoned(Mutiny.Session session, UUID conversationId) {
        return session.createNativeQuery(SHARED_HR).setParameter(1, conversationId).getSingleResult()
                .chain(() -> session.createNativeQuery(TOMBSTONED_HR, Long.class).setParameter(1, conversationId)
                        .getSingleResult())
                .map(n -> n > 0);
    }

    /**
     * Takes the exclusive lock of each conversation, one after the other in the order given (callers
     * pass them as {@code ORDER BY id} returned them), in {@code conn}'s transaction.
     */
    public static Uni<Void> exclusive(SqlConnection conn, List<UUID> orderedIds) {
        if (orderedIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(orderedIds)
                .onItem().transformToUniAndConcatenate(id -> conn.preparedQuery(EXCLUSIVE_PG).execute(Tuple.of(id)))
                .collect().last().replaceWithVoid();
    }
}
