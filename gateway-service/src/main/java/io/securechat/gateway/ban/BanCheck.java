package io.securechat.gateway.ban;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.securechat.gateway.GatewayConfig;
import io.securechat.platform.api.ApiError;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Is this client banned? Asked before a socket opens (upgrade, tickets, guest sessions) against the
 * mirror of active bans that moderation-service keeps in Redis ({@code chat:ban:<kind>:<subject>},
 * docs/moderation-actions.md): one {@code EXISTS} over the user id, the guest fingerprint and the
 * IP hash together.
 *
 * <p>Fails open: when Redis does not answer within {@code chat.ban-check.timeout} the client is let
 * in and {@code chat_gateway_ban_check_failed_total} counted. A banned user's messages are still
 * blocked by moderation-service from PostgreSQL, and a ban issued meanwhile still closes the socket;
 * refusing everyone while a cache is away would be the larger outage.
 */
@ApplicationScoped
public class BanCheck {

    public static final String PREFIX = "chat:ban:";
    static final String FAILED = "chat_gateway_ban_check_failed_total";
    static final String REFUSED = "chat_gateway_ban_check_refused_total";

    private static final Logger LOG = Logger.getLogger(BanCheck.class);

    private final ReactiveKeyCommands<String> keys;
    private final BanCheckConfig config;
    private final MeterRegistry registry;
    private final String hashKey;
    private volatile long lastWarning;

    public BanCheck(ReactiveRedisDataSource redis, BanCheckConfig config, GatewayConfig gateway, MeterRegistry registry) {
        this.keys = redis.key(String.class);
        this.config = config;
        this.registry = registry;
        this.hashKey = gateway.fingerprintKey();
    }

    /** The IP hash of a request's client address (docs/moderation-actions.md). */
    public String ipHash(HttpServerRequest request) {
        return request == null || request.remoteAddress() == null ? null
                : IpHash.of(hashKey, request.remoteAddress().hostAddress());
    }

    /** True when any of the given subjects is banned now; false when none is, or Redis cannot tell. */
    public Uni<Boolean> banned(String userId, String guestFingerprint, String ipHash) {
        List<String> wanted = new ArrayList<>(3);
        if (userId != null && !userId.isBlank()) {
            wanted.add(PREFIX + "USER:" + userId);
        }
        if (guestFingerprint != null && !guestFingerprint.isBlank()) {
            wanted.add(PREFIX + "GUEST_FINGERPRINT:" + guestFingerprint);
        }
        if (ipHash != null && !ipHash.isBlank()) {
            wanted.add(PREFIX + "IP_HASH:" + ipHash);
        }
        if (!config.enabled() || wanted.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return keys.exists(wanted.toArray(String[]::new))
                .ifNoItem().after(config.timeout()).fail()
                .map(n -> n > 0)
                .invoke(banned -> {
                    if (banned) {
                        registry.counter(REFUSED).increment();
                    }
                })
                .onFailure().recoverWithItem(t -> {
                    registry.counter(FAILED).increment();
                    long now = System.currentTimeMillis();
                    if (now - lastWarning > 30_000) {
                        lastWarning = now;
                        LOG.warnf("ban check unavailable, letting connections in (bans still act per message): %s",
                                t.getClass().getSimpleName());
                    }
                    return false;
                });
    }

    /** The REST answer to a banned client: 403 with the ApiError code {@code banned}. */
    public static Response refusal() {
        return Response.status(403).type("application/json")
                .entity(new ApiError("banned", "you are banned from this chat")).build();
    }
}
