package io.securechat.gateway.socket;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.securechat.gateway.GatewayConfig;
import io.securechat.gateway.messaging.AuditEvents;
import io.securechat.gateway.presence.PresenceRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Once a second: closes sockets whose token expired without {@code auth.refresh} (4401) and
 * sockets that missed their heartbeats, and audits the summaries of refused upgrades whose
 * throttle window closed; every 10 s: rewrites this node's presence. On
 * shutdown: tells every client to reconnect elsewhere (1001).
 */
@ApplicationScoped
public class SocketHousekeeper {

    @Inject
    Vertx vertx;

    @Inject
    SocketRegistry registry;

    @Inject
    SocketSender sender;

    @Inject
    PresenceRegistry presence;

    @Inject
    AuditEvents audit;

    @Inject
    GatewayConfig config;

    @Inject
    DeliveryConsumer deliveries;

    @Inject
    UpgradeGuard upgrades;

    private long sweepTimer = -1;
    private long presenceTimer = -1;

    void start(@Observes StartupEvent e) {
        sweepTimer = vertx.setPeriodic(1000, id -> sweep());
        presenceTimer = vertx.setPeriodic(Duration.ofSeconds(10).toMillis(),
                id -> presence.refresh(registry.socketsByUser()).subscribe().with(v -> {}, t -> {}));
    }

    void sweep() {
        Instant now = Instant.now();
        upgrades.auditSuppressed(now);
        long silentLimit = config.heartbeat().multipliedBy(2).toNanos();
        long nanos = System.nanoTime();
        for (SocketSession s : List.copyOf(registry.all())) {
            if (s.closing.get()) {
                continue;
            }
            for (var e : s.cursors.entrySet()) {
                for (String f : e.getValue().expire(nanos)) {
                    deliveries.write(s, "message", f);
                }
            }
            if (!s.principal.expiresAt().isAfter(now)) {
                sender.terminate(s, "token_expired", new CloseReason(CloseCodes.TOKEN_EXPIRED, "token expired"))
                        .subscribe().with(v -> {}, t -> {});
                audit.record(s.principal, "token.expired", "connection", s.connectionId, "DENIED", Map.of())
                        .subscribe().with(v -> {}, t -> {});
            } else if (nanos - s.lastSeenNanos > silentLimit) {
                sender.terminate(s, "heartbeat_timeout", new CloseReason(CloseCodes.NORMAL, "heartbeat timeout"))
                        .subscribe().with(v -> {}, t -> {});
            }
        }
    }

    void stop(@Observes ShutdownEvent e) {
        vertx.cancelTimer(sweepTimer);
        vertx.cancelTimer(presenceTimer);
        var closes = List.copyOf(registry.all()).stream()
                .map(s -> sender.terminate(s, "server_going_away", new CloseReason(CloseCodes.GOING_AWAY, "reconnect")))
                .toList();
        if (!closes.isEmpty()) {
            try {
                // Shutdown runs off the event loop; every client gets its 1001, bounded in time.
                io.smallrye.mutiny.Uni.join().all(closes).andCollectFailures().await().atMost(Duration.ofSeconds(5));
            } catch (RuntimeException ignored) {
                // a client that did not take its close frame in time is dropped with the process
            }
        }
    }
}
