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
 * data.
 */
@ApplicationScoped
public class UpgradeGuard implements HttpUpgradeCheck {

    public static final String SUBPROTOCOL = "chat.v1";
    public static final UserData.TypedKey<ChatPrincipal> PRINCIPAL = new UserData.TypedKey<>("chat.principal");
    public static final UserData.TypedKey<String> IP_HASH = new UserData.TypedKey<>("chat.ip-hash");

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

    @Inject
    public UpgradeGuard(GatewayConfig config) {
        this.config = config;
        this.allowedOrigins = new HashSet<>(config.allowedOrigins());
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return ChatSocket.class.getName().equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String origin = context.httpRequest().getHeader("Origin");
        if (origin == null || !allowedOrigins.contains(origin)) {
            return refuse(403, "origin", null);
        }
        if (!offersProtocolV1(context.httpRequest().getHeader("Sec-WebSocket-Protocol"))) {
            // A client that does not speak chat.v1 would misread every frame: refuse it now.
            return refuse(400, "subprotocol", null);
        }
        String authorization = context.httpRequest().getHeader("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return refuse(401, "unauthenticated", null);
            }
            // Verified here rather than by the HTTP layer: a socket outlives its token, and
            // its expiry is ours to handle (session.terminated, 4401, auth.refresh), not a
            // silent 1008 from the framework.
            return tokens.authenticate(new AccessTokenCredential(authorization.substring(7).strip()))
                    .map(Principals::fromIdentity)
                    .onFailure().recoverWithNull()
                    .chain(p -> admit(context, p, "token"));
        }
        {
            String ticket = context.httpRequest().getParam("ticket");
            if (ticket == null) {
                return refuse(401, "unauthenticated", null);
            }
            return tickets.redeem(ticket)
                    .chain(p -> admit(context, p, "ticket"))
                    .onFailure().recoverWithUni(t -> refuse(503, "unavailable", null));
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

    private Uni<CheckResult> admit(HttpUpgradeContext context, ChatPrincipal p, String via) {
        if (p == null || p.userId() == null || !p.expiresAt().isAfter(Instant.now())) {
            return refuse(401, via, null);
        }
        if (registry.byUser(p.userId()).size() >= config.maxSocketsPerUser()) {
            return refuse(429, "too_many_sockets", p);
        }
        String ipHash = bans.ipHash(context.httpRequest());
        return bans.banned(p.userId(), p.guest() ? p.fingerprint() : null, ipHash).chain(banned -> {
            if (banned) {
                return refuse(403, "banned", p);
            }
            context.userData().put(PRINCIPAL, p);
            if (ipHash != null) {
                context.userData().put(IP_HASH, ipHash);
            }
            return CheckResult.permitUpgrade();
        });
    }

    /** Refuses the upgrade; the refusal is counted and audited (reason code only). */
    private Uni<CheckResult> refuse(int status, String reason, ChatPrincipal who) {
        metrics.upgradeRefused(reason);
        audit.record(who, "connection.refused", "endpoint", "/ws/v1/chat", "DENIED",
                java.util.Map.of("reason", reason, "status", status)).subscribe().with(v -> {}, t -> {});
        if ("banned".equals(reason)) {
            return CheckResult.rejectUpgrade(status, Map.of("X-Chat-Error", List.of("banned")));
        }
        return CheckResult.rejectUpgrade(status);
    }
}
