package io.securechat.transcript.attachment.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.securechat.transcript.conversation.service.ConversationLocks;
import io.securechat.transcript.crypto.AttachmentCipher;
import io.securechat.transcript.crypto.AttachmentCipher.StreamKey;
import io.securechat.transcript.keys.KeyEncryptionKeys;
import io.securechat.transcript.keys.KeyEncryptionKeys.Kek;
import io.securechat.transcript.keys.KeysConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Each conversation's attachment key (Tink StreamingAead), created with its first upload, stored
 * only wrapped by the KEK in {@code attachment_keys}, cached unwrapped like the data keys (same
 * size and expiry). Erasure deletes the row and evicts the cache ({@code ErasureWatch} evicts it on
 * every instance).
 */
@ApplicationScoped
public class StreamKeys {

    private static final Logger LOG = Logger.getLogger(StreamKeys.class);

    private final Pool pool;
    private final KeyEncryptionKeys kek;
    private final Cache<UUID, StreamKey> cache;

    public StreamKeys(Pool pool, KeyEncryptionKeys kek, KeysConfig config) {
        this.pool = pool;
        this.kek = kek;
        this.cache = Caffeine.newBuilder().maximumSize(config.cacheSize()).expireAfterAccess(config.cacheExpiry()).build();
    }

    /**
     * The key for an upload, created when the conversation has none (whoever inserts first wins),
     * in {@code conn}'s transaction, which must hold the conversation's lock shared and have found
     * no tombstone ({@link ConversationLocks}); the insert is guarded by {@code WHERE NOT EXISTS} a
     * tombstone as well. Null when there is none (tombstoned). Not cached here: the caller calls
     * {@link #remember} once its transaction committed, so a key whose insert rolled back is never used.
     */
    public Uni<StreamKey> forWriting(SqlConnection conn, UUID conversationId) {
        StreamKey cached = cache.getIfPresent(conversationId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        AttachmentCipher.NewStreamKey created = AttachmentCipher.newKey(conversationId, kek.current());
        return conn.preparedQuery("INSERT INTO attachment_keys (conversation_id, wrapped_key, kek_key_id) "
                        + "SELECT $1::uuid, $2::bytea, $3::bigint WHERE " + ConversationLocks.notTombstoned("$1::uuid")
                        + " ON CONFLICT (conversation_id) DO NOTHING")
                .execute(Tuple.of(conversationId, io.vertx.core.buffer.Buffer.buffer(created.wrapped()),
                        created.kekKeyId()))
                .chain(() -> conn.preparedQuery("SELECT wrapped_key, kek_key_id FROM attachment_keys WHERE conversation_id = $1")
                        .execute(Tuple.of(conversationId)))
                .map(rows -> unwrap(conversationId, rows, false));
    }

    /** Caches a key read back from a committed row. */
    public void remember(UUID conversationId, StreamKey key) {
        cache.put(conversationId, key);
    }

    /** The key from the cache or the stored row; null when there is none (never uploaded, or destroyed). */
    public Uni<StreamKey> forReading(UUID conversationId) {
        StreamKey cached = cache.getIfPresent(conversationId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return pool.preparedQuery("SELECT wrapped_key, kek_key_id FROM attachment_keys WHERE conversation_id = $1")
                .execute(Tuple.of(conversationId)).map(rows -> unwrap(conversationId, rows, true));
    }

    private StreamKey unwrap(UUID conversationId, RowSet<Row> rows, boolean cacheIt) {
        if (!rows.iterator().hasNext()) {
            return null;
        }
        Row row = rows.iterator().next();
        long kekKeyId = row.getLong("kek_key_id");
        Kek current = kek.current();
        if (!current.knows(kekKeyId) && kek.refresh()) {
            current = kek.current();
        }
        try {
            StreamKey key = AttachmentCipher.unwrap(row.getBuffer("wrapped_key").getBytes(), conversationId, current);
            if (cacheIt) {
                cache.put(conversationId, key);
            }
            return key;
        } catch (GeneralSecurityException e) {
            LOG.errorf("attachment key of conversation %s (KEK key id %d) does not unwrap", conversationId, kekKeyId);
            throw new io.securechat.transcript.message.service.DataKeys.UnusableKeyException(
                    "attachment key of conversation " + conversationId + " does not unwrap");
        }
    }

    /**
     * Rotation: re-wraps every attachment key not wrapped with {@code primary}, in batches locked
     * with {@code FOR UPDATE SKIP LOCKED}, each its own transaction (as the data keys).
     */
    public Uni<Void> rewrapAll(long primary, int batch, java.util.concurrent.atomic.AtomicLong rewrapped,
            java.util.concurrent.atomic.AtomicLong failed) {
        return rewrapBatch(primary, null, batch, rewrapped, failed);
    }

    private Uni<Void> rewrapBatch(long primary, UUID after, int batch, java.util.concurrent.atomic.AtomicLong rewrapped,
            java.util.concurrent.atomic.AtomicLong failed) {
        String sql = "SELECT conversation_id, wrapped_key, kek_key_id FROM attachment_keys WHERE kek_key_id <> $1"
                + (after == null ? "" : " AND conversation_id > $3") + " ORDER BY conversation_id LIMIT $2 FOR UPDATE SKIP LOCKED";
        Tuple args = after == null ? Tuple.of(primary, batch) : Tuple.of(primary, batch, after);
        return pool.withTransaction(conn -> conn.preparedQuery(sql).execute(args).chain(rows -> {
                    Kek current = kek.current();
                    java.util.List<Tuple> updates = new java.util.ArrayList<>();
                    UUID last = null;
                    int seen = 0;
                    for (Row r : rows) {
                        seen++;
                        last = r.getUUID("conversation_id");
                        try {
                            byte[] w = AttachmentCipher.rewrap(r.getBuffer("wrapped_key").getBytes(), last, current);
                            updates.add(Tuple.of(last, io.vertx.core.buffer.Buffer.buffer(w), current.primaryKeyId()));
                        } catch (GeneralSecurityException e) {
                            failed.incrementAndGet();
                            LOG.errorf("attachment key of conversation %s (KEK key id %d) does not unwrap: not re-wrapped",
                                    last, r.getLong("kek_key_id"));
                        }
                    }
                    int n = seen;
                    UUID lastId = last;
                    Uni<Void> write = updates.isEmpty() ? Uni.createFrom().voidItem()
                            : conn.preparedQuery("UPDATE attachment_keys SET wrapped_key = $2, kek_key_id = $3, rewrapped_at = now() "
                                    + "WHERE conversation_id = $1").executeBatch(updates).replaceWithVoid()
                                    .invoke(() -> rewrapped.addAndGet(updates.size()));
                    return write.map(v -> n == batch ? lastId : null);
                }))
                .chain(next -> next == null ? Uni.createFrom().voidItem() : rewrapBatch(primary, next, batch, rewrapped, failed));
    }

    public Uni<Long> countNotWrappedWith(long primary) {
        return pool.preparedQuery("SELECT count(*) FROM attachment_keys WHERE kek_key_id <> $1").execute(Tuple.of(primary))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public void evict(UUID conversationId) {
        cache.invalidate(conversationId);
    }
}
