package io.securechat.session.delivery.service;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.securechat.session.delivery.DeliveryConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Reads the gateways' presence hashes ({@code chat:presence:<userId>}: nodeId -> open sockets,
 * docs/events.md). Redis is only a cache: when it fails or is slow the answer is "unknown" and
 * callers fall back to every node.
 */
@ApplicationScoped
public class PresenceLookup {

    private static final Logger LOG = Logger.getLogger(PresenceLookup.class);

    private final ReactiveHashCommands<String, String, String> hashes;
    private final DeliveryConfig config;
    private final AtomicLong lastWarn = new AtomicLong();

    public PresenceLookup(ReactiveRedisDataSource redis, DeliveryConfig config) {
        this.hashes = redis.hash(String.class, String.class, String.class);
        this.config = config;
    }

    public static String key(String userId) {
        return "chat:presence:" + userId;
    }

    /** The nodes holding each user's sockets; empty when Redis could not answer in time. */
    public Uni<Optional<Map<String, Set<String>>>> nodesOf(Collection<String> users) {
        if (users.isEmpty()) {
            return Uni.createFrom().item(Optional.of(Map.of()));
        }
        List<String> ordered = new ArrayList<>(new HashSet<>(users));
        List<Uni<Map<String, String>>> lookups = ordered.stream().map(u -> hashes.hgetall(key(u))).toList();
        return Uni.join().all(lookups).andFailFast()
                .ifNoItem().after(config.presenceTimeout()).fail()
                .map(results -> {
                    Map<String, Set<String>> out = new HashMap<>();
                    for (int i = 0; i < ordered.size(); i++) {
                        out.put(ordered.get(i), nodesWithSockets(results.get(i)));
                    }
                    return Optional.of(out);
                })
                .onFailure().recoverWithItem(t -> {
                    warn(t);
                    return Optional.empty();
                });
    }

    /** Whether any node reports a socket of the user; empty when Redis could not answer. */
    public Uni<Optional<Boolean>> isConnected(String userId) {
        return nodesOf(List.of(userId)).map(p -> p.map(m -> !m.getOrDefault(userId, Set.of()).isEmpty()));
    }

    private static Set<String> nodesWithSockets(Map<String, String> hash) {
        Set<String> nodes = new HashSet<>();
        if (hash != null) {
            hash.forEach((node, sockets) -> {
                if (!"0".equals(sockets)) {
                    nodes.add(node);
                }
            });
        }
        return nodes;
    }

    private void warn(Throwable t) {
        long now = System.currentTimeMillis();
        long last = lastWarn.get();
        // One line per 30 s: an outage of Redis must not flood the log.
        if (now - last > 30_000 && lastWarn.compareAndSet(last, now)) {
            LOG.warnf("presence unavailable, routing frames to every gateway node: %s", t.getClass().getSimpleName());
        }
    }
}
