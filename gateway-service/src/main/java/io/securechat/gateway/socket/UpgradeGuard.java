package io.securechat.gateway.socket;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.securechat.gateway.GatewayConfig;
import io.securechat.gateway.ban.BanCheck;
import io.securechat.gateway.identity.ChatPrincipal;
import io.securechat.gateway.identity.Principals;
import io.securechat.gateway.ticket.TicketStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a WebSocket upgrade may complete (ARCHITECTURE section 5): the Origin must be
 * in the allow-list (403 otherwise), the client must offer the subprotocol {@code chat.v1}
 * (400 otherwise), and the caller must bring a bearer token (verified here
 * against the realm's keys) or a one-time ticket (401 otherwise). A client that moderation-service
 * banned (by user id, guest fingerprint or IP hash; the Redis mirror, see {@link BanCheck}) is
 * refused with 403 and the header {@code X-Chat-Error: banned} (an upgrade refusal carries no
 * body). The principal found and the client's IP hash are handed to the socket through its user
 * data. Refusals are audited as {@code connection.refused} (reason code, status, IP hash),
 * throttled per source ({@link RefusalThrottle}).
 */
@ApplicationScoped
public class UpgradeGuard implements HttpUpgradeCheck {

    public static final String SUBPROTOCOL = "chat.v1";
    public static final UserData.TypedKey<ChatPrincipal> PRINCIPAL = new UserData.TypedKey<>("chat.principal");
    public static final UserData.TypedKey<String> IP_HASH = new UserData.TypedKey<>("chat.ip-hash");
    static final String REFUSED = "connection.refused";
    static final String ENDPOINT = "/ws/v1/chat";

    private final Set<String> allowedOrigins;

    @Inject
    TicketStore tickets;

    @Inject
    SocketMetrics metrics;

    @Inject
    TenantIdentityProvider tokens;

    @Inject
    SocketRegistry registry;

    @Inject
    io.securechat.gateway.messaging.AuditEvents audit;

    @Inject
    BanCheck bans;

    private final GatewayConfig config;
    private final RefusalThrottle throttle;

    @Inject
    public UpgradeGuard(GatewayConfig config) {
        this.config = config;
        this.allowedOrigins = new HashSet<>(config.allowedOrigins());
        this.throttle = new RefusalThrottle(config.refusalAuditWindow(), config.refusalAuditSources());
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return ChatSocket.class.getName().equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        // The source of every refusal is audited by its keyed hash (never the address).
        String ipHash = bans.ipHash(context.httpRequest());
        String origin = context.httpRequest().getHeader("Origin");
        if (origin == null || !allowedOrigins.contains(origin)) {
            return refuse(403, "origin", null, ipHash);
        }
        if (!offersProtocolV1(context.httpRequest().getHeader("Sec-WebSocket-Protocol"))) {
            // A client that does not speak chat.v1 would misread every frame: refuse it now.
            return refuse(400, "subprotocol", null, ipHash);
        }
        String authorization = context.httpRequest().getHeader("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return refuse(401, "unauthenticated", null, ipHash);
            }
            // Verified here rather than by the HTTP layer: a socket outlives its token, and
            // its expiry is ours to handle (session.terminated, 4401, auth.refresh), not a
            // silent 1008 from the framework.
            return tokens.authenticate(new AccessTokenCredential(authorization.substring(7).strip()))
                    .map(Principals::fromIdentity)
                    .onFailure().recoverWithNull()
                    .chain(p -> admit(context, p, "token", ipHash));
        }
        {
            String ticket = context.httpRequest().getParam("ticket");
            if (ticket == null) {
                return refuse(401, "unauthenticated", null, ipHash);
            }
            return tickets.redeem(ticket)
                    .chain(p -> admit(context, p, "ticket", ipHash))
                    .onFailure().recoverWithUni(t -> refuse(503, "unavailable", null, ipHash));
        }
    }

    static boolean offersProtocolV1(String header) {
        if (header == null) {
            return false;
        }
        for (String p : header.split(",")) {
            if (p.strip().equals(SUBPROTOCOL)) {
                return true;
            }
        }
        return false;
    }

    private Uni<CheckResult> admit(HttpUpgradeContext context, ChatPrincipal p, String via, String ipHash) {
        if (p == null || p.userId() == null || !p.expiresAt().isAfter(Instant.now())) {
            // A forged, expired or foreign token, or a made-up or used ticket.
            return refuse(401, via, null, ipHash);
        }
        if (registry.byUser(p.userId()).size() >= config.maxSocketsPerUser()) {
            return refuse(429, "too_many_sockets", p, ipHash);
        }
        return bans.banned(p.userId(), p.guest() ? p.fingerprint() : null, ipHash).chain(banned -> {
            if (banned) {
                return refuse(403, "banned", p, ipHash);
            }
            context.userData().put(PRINCIPAL, p);
            if (ipHash != null) {
                context.userData().put(IP_HASH, ipHash);
            }
            return CheckResult.permitUpgrade();
        });
    }

    /**
     * Refuses the upgrade. Every refusal is counted (metrics); the audit record (reason code,
     * status, IP hash) is throttled: the first one per reason, source and user in a window at
     * once, the rest of the window as one summary record ({@link #auditSuppressed}), so a flood of
     * bad tokens cannot flood the audit trail.
     */
    private Uni<CheckResult> refuse(int status, String reason, ChatPrincipal who, String ipHash) {
        metrics.upgradeRefused(reason);
        if (throttle.first(reason, status, ipHash, who, Instant.now())) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", reason);
            details.put("status", status);
            if (ipHash != null) {
                details.put("ipHash", ipHash);
            }
            audit.record(who, REFUSED, "endpoint", ENDPOINT, "DENIED", details).subscribe().with(v -> {}, t -> {});
        }
        if ("banned".equals(reason)) {
            return CheckResult.rejectUpgrade(status, Map.of("X-Chat-Error", List.of("banned")));
        }
        return CheckResult.rejectUpgrade(status);
    }

    /**
     * One {@code connection.refused} summary per closed window that counted refusals after its
     * first: {@code suppressed} is how many were not audited one by one. Called by
     * {@link SocketHousekeeper} every second.
     */
    void auditSuppressed(Instant now) {
        for (RefusalThrottle.Summary s : throttle.expired(now)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", s.reason());
            details.put("status", s.status());
            if (s.ipHash() != null) {
                details.put("ipHash", s.ipHash());
            }
            details.put("suppressed", s.suppressed());
            details.put("windowStart", s.windowStart().toString());
            details.put("window", throttle.window().toString());
            audit.record(s.who(), REFUSED, "endpoint", ENDPOINT, "DENIED", details).subscribe().with(v -> {}, t -> {});
        }
    }
}
