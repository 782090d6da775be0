package io.securechat.moderation.conversation;

import io.securechat.moderation.policy.PolicyConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which queue each conversation is in: table {@code conversation_queues} (V3), written from
 * {@code chat.conversations.v1}, read for every message whose queue has settings of its own, with
 * a small in-memory cache in front.
 *
 * <p>PostgreSQL, not memory alone: the events are shared out among the instances of the consumer
 * group, so no instance sees them all, and a restarted instance must not forget. The cache holds
 * known queues for {@code chat.policy.queue-lookup.cache-ttl} (the consumer refreshes the entry on
 * this instance at once; other instances see a transfer when the entry expires). Unknown
 * conversations are not cached: their first event may arrive any moment.
 */
@ApplicationScoped
public class ConversationQueues {

    private static final String UPSERT = """
            INSERT INTO conversation_queues (conversation_id, queue, occurred_at) VALUES ($1, $2, $3)
            ON CONFLICT (conversation_id) DO UPDATE SET queue = EXCLUDED.queue, occurred_at = EXCLUDED.occurred_at,
                   updated_at = now()
             WHERE conversation_queues.occurred_at <= EXCLUDED.occurred_at
            RETURNING queue""";
    private static final String SELECT = "SELECT queue FROM conversation_queues WHERE conversation_id = $1";

    private final Pool pool;
    private final Duration timeout;
    private final Cache cache;

    @Inject
    public ConversationQueues(Pool pool, PolicyConfig config) {
        this(pool, config.queueLookup().timeout(), new Cache(config.queueLookup().cacheSize(),
                config.queueLookup().cacheTtl(), System::nanoTime));
    }

    ConversationQueues(Pool pool, Duration timeout, Cache cache) {
        this.pool = pool;
        this.timeout = timeout;
        this.cache = cache;
    }

    /** The conversation's queue; null when no event about it has been stored yet. */
    public Uni<String> queueOf(String conversationId) {
        String cached = cache.get(conversationId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return pool.preparedQuery(SELECT).execute(Tuple.of(conversationId))
                .ifNoItem().after(timeout).fail()
                .map(rows -> {
                    String queue = first(rows);
                    if (queue != null) {
                        cache.put(conversationId, queue);
                    }
                    return queue;
                });
    }

    /**
     * Stores the event's queue unless a later event is stored already (a redelivered or
     * out-of-order record must not move a conversation back to the queue it left).
     *
     * @return true when the stored queue is this event's
     */
    public Uni<Boolean> record(ConversationEvent event) {
        return pool.preparedQuery(UPSERT)
                .execute(Tuple.of(event.conversationId(), event.queue(), event.occurredAt().atOffset(ZoneOffset.UTC)))
                .ifNoItem().after(timeout).fail()
                .map(rows -> {
                    String queue = first(rows);
                    if (queue != null) {
                        cache.put(event.conversationId(), queue);
                        return true;
                    }
                    // A later event won: drop what we may hold, the next lookup reads the stored one.
                    cache.remove(event.conversationId());
                    return false;
                });
    }

    private static String first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? it.next().getString("queue") : null;
    }

    /** A bounded, least-recently-used map whose entries expire. */
    static final class Cache {
        private record Cached(String queue, long expiresAt) {}

        private final long ttlNanos;
        private final LongSupplier nanoClock;
        private final Map<String, Cached> entries;

        Cache(int maxSize, Duration ttl, LongSupplier nanoClock) {
            this.ttlNanos = ttl.toNanos();
            this.nanoClock = nanoClock;
            this.entries = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                    return size() > Math.max(0, maxSize);
                }
            };
        }

        synchronized String get(String key) {
            Cached e = entries.get(key);
            if (e == null) {
                return null;
            }
            if (nanoClock.getAsLong() - e.expiresAt() >= 0) {
                entries.remove(key);
                return null;
            }
            return e.queue();
        }

        synchronized void put(String key, String queue) {
            if (ttlNanos > 0) {
                entries.put(key, new Cached(queue, nanoClock.getAsLong() + ttlNanos));
            }
        }

        synchronized void remove(String key) {
            entries.remove(key);
        }

        synchronized int size() {
            return entries.size();
        }
    }
}
