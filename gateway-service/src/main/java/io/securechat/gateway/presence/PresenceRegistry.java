package io.securechat.gateway.presence;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.securechat.gateway.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Which gateway nodes hold a user's sockets, in Redis ({@code chat:presence:<userId>}: a hash
 * nodeId -> sockets on that node; docs/events.md). session-service reads it to route
 * deliveries. Redis is only a cache here: {@link #refresh(Map)} rewrites this node's entries
 * every few seconds, so a lost Redis heals by itself.
 */
@ApplicationScoped
public class PresenceRegistry {

    private static final Logger LOG = Logger.getLogger(PresenceRegistry.class);
    static final Duration TTL = Duration.ofSeconds(30);

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, Long> hashes;
    private final ReactiveKeyCommands<String> keys;
    private final String node;
    private volatile long lastWarn;

    public PresenceRegistry(ReactiveRedisDataSource redis, GatewayConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class, String.class, Long.class);
        this.keys = redis.key(String.class);
        this.node = config.nodeId();
    }

    public static String key(String userId) {
        return "chat:presence:" + userId;
    }

    /**
     * A socket opened (+1) or closed (-1). Increments, not absolute counts, so an open and a
     * close racing on two event loops cannot leave a wrong value behind.
     */
    public Uni<Void> change(String userId, long delta) {
        // One script, so nothing runs between the count and its removal: with HINCRBY then HDEL, a
        // socket closing while the same user's next one opened (a quick reconnect) deleted the new
        // socket's count, and session-service found the user nowhere (RepeatedStartIT in CI).
        return redis.execute("EVAL", CHANGE, "1", key(userId), node, Long.toString(delta), Long.toString(TTL.toSeconds()))
                .replaceWithVoid()
                .onFailure().recoverWithUni(this::warn);
    }

    private static final String CHANGE = """
            local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
            if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            return n""";

    /** Rewrites this node's absolute counts (heals a lost or flushed Redis) and keeps them alive. */
    public Uni<Void> refresh(Map<String, Long> socketsByUser) {
        return io.smallrye.mutiny.Multi.createFrom().iterable(socketsByUser.entrySet())
                .onItem().transformToUniAndConcatenate(e -> hashes.hset(key(e.getKey()), node, e.getValue())
                        .chain(() -> keys.expire(key(e.getKey()), TTL)).replaceWithVoid()
                        .onFailure().recoverWithUni(this::warn))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> warn(Throwable t) {
        long now = System.currentTimeMillis();
        if (now - lastWarn > 30_000) {
            lastWarn = now;
            LOG.warnf("presence not written to Redis (deliveries fall back to every node): %s", t.getMessage());
        }
        return Uni.createFrom().voidItem();
    }
}
