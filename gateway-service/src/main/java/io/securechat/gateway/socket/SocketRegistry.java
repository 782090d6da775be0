package io.securechat.gateway.socket;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open sockets of this node, by connection and by user. */
@ApplicationScoped
public class SocketRegistry {

    private final Map<String, SocketSession> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Set<SocketSession>> byUser = new ConcurrentHashMap<>();

    public SocketRegistry(SocketMetrics metrics) {
        metrics.openSockets(byConnection::size);
    }

    /** Adds a socket; returns how many sockets its user now has on this node. */
    long add(SocketSession s) {
        byConnection.put(s.connectionId, s);
        long[] now = {0};
        // Inside compute, so a concurrent remove of the user's last other socket cannot drop the set.
        byUser.compute(s.principal.userId(), (k, set) -> {
            Set<SocketSession> out = set == null ? ConcurrentHashMap.newKeySet() : set;
            out.add(s);
            now[0] = out.size();
            return out;
        });
        return now[0];
    }

    /** Removes a socket; returns how many sockets its user still has on this node. */
    long remove(SocketSession s) {
        byConnection.remove(s.connectionId);
        long[] left = {0};
        byUser.computeIfPresent(s.principal.userId(), (k, set) -> {
            set.remove(s);
            left[0] = set.size();
            return set.isEmpty() ? null : set;
        });
        return left[0];
    }

    SocketSession byConnectionId(String connectionId) {
        return byConnection.get(connectionId);
    }

    Set<SocketSession> byUser(String userId) {
        return byUser.getOrDefault(userId, Set.of());
    }

    Collection<SocketSession> all() {
        return byConnection.values();
    }

    Map<String, Long> socketsByUser() {
        Map<String, Long> out = new HashMap<>();
        byUser.forEach((u, set) -> out.put(u, (long) set.size()));
        return out;
    }
}
