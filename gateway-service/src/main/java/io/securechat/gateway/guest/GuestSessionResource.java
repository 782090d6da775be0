package io.securechat.gateway.guest;

import io.securechat.gateway.GatewayConfig;
import io.securechat.gateway.ban.BanCheck;
import io.securechat.gateway.identity.ChatPrincipal;
import io.securechat.gateway.messaging.AuditEvents;
import io.securechat.gateway.ticket.TicketStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /api/v1/guest-sessions}: a website visitor who accepted the privacy notice gets
 * a guest session (a guest token and a first ticket). No consent, no session. The consent
 * (policy version and time) is recorded as an audit event. A banned device fingerprint or client
 * address gets 403 {@code banned} (docs/moderation-actions.md), for a new session and a new ticket.
 */
@Path("/api/v1/guest-sessions")
public class GuestSessionResource {

    public record Consent(String policyVersion, Boolean accepted) {}

    public record GuestSessionRequest(Consent consent, String displayName) {}

    public record GuestSessionResponse(String guestToken, String userId, String displayName, long expiresIn,
            String ticket, long ticketExpiresIn) {}

    public record TicketResponse(String ticket, long expiresIn) {}

    public record Problem(String code, String message) {}

    @Inject
    GatewayConfig config;

    @Inject
    GuestSessionStore sessions;

    @Inject
    TicketStore tickets;

    @Inject
    AuditEvents audit;

    @Inject
    BanCheck bans;

    private final io.quarkus.redis.datasource.value.ReactiveValueCommands<String, Long> limiter;
    private final io.quarkus.redis.datasource.keys.ReactiveKeyCommands<String> keys;

    public GuestSessionResource(io.quarkus.redis.datasource.ReactiveRedisDataSource redis) {
        this.limiter = redis.value(String.class, Long.class);
        this.keys = redis.key(String.class);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> create(GuestSessionRequest body, @Context HttpServerRequest request) {
        if (body == null || body.consent() == null || !Boolean.TRUE.equals(body.consent().accepted())) {
            return problem(400, "bad_request", "the privacy notice must be accepted before a chat can start");
        }
        if (!config.privacyPolicyVersion().equals(body.consent().policyVersion())) {
            return problem(400, "bad_request", "consent must be to the current privacy notice, version "
                    + config.privacyPolicyVersion());
        }
        String name = body.displayName() == null ? "" : body.displayName().strip();
        if (name.isEmpty() || name.length() > 60 || name.codePoints().anyMatch(Character::isISOControl)) {
            return problem(400, "bad_request", "'displayName' must be 1 to 60 characters without control characters");
        }
        String fingerprint = fingerprint(request);
        // A flood of anonymous sessions from one address is refused before anything is stored;
        // the counter's key is a keyed hash of the address, never the address itself.
        String rateKey = "chat:guest-rate:" + fingerprint(request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress());
        return limiter.incr(rateKey)
                .chain(n -> n == 1 ? keys.expire(rateKey, java.time.Duration.ofMinutes(1)).replaceWith(n)
                        : Uni.createFrom().item(n))
                .onFailure().recoverWithItem(0L)
                .chain(n -> n > config.guestSessionsPerMinute()
                        ? problem(429, "rate_limited", "too many new chats from this address; wait a minute")
                        : bans.banned(null, fingerprint, bans.ipHash(request)).chain(banned -> banned
                                ? Uni.createFrom().item(BanCheck.refusal())
                                : createSession(name, fingerprint)));
    }

    private Uni<Response> createSession(String name, String fingerprint) {
        String guestToken = TicketStore.randomToken();
        Instant expiresAt = Instant.now().plus(config.guestSessionTtl());
        ChatPrincipal guest = new ChatPrincipal("guest:" + UUID.randomUUID(), Set.of(ChatPrincipal.GUEST_ROLE), name,
                true, fingerprint, expiresAt);
        return sessions.save(guestToken, guest, config.guestSessionTtl())
                .chain(() -> tickets.issue(guest))
                .call(() -> audit.record(guest, "guest.session.created", "guest", guest.userId(), "SUCCESS",
                        Map.of("policyVersion", config.privacyPolicyVersion(), "consentAt", Instant.now().toString())))
                .map(ticket -> Response.status(201).entity(new GuestSessionResponse(guestToken, guest.userId(), name,
                        config.guestSessionTtl().toSeconds(), ticket, tickets.ttl().toSeconds())).build());
    }

    /** A new one-time ticket for a guest who reconnects. */
    @POST
    @Path("/tickets")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> ticket(@HeaderParam("X-Guest-Token") String guestToken, @Context HttpServerRequest request) {
        return sessions.lookup(guestToken).chain(guest -> {
            if (guest == null || !guest.expiresAt().isAfter(Instant.now())) {
                return problem(401, "token_expired", "the guest session is unknown or expired; start a new one");
            }
            return bans.banned(guest.userId(), guest.fingerprint(), bans.ipHash(request)).chain(banned -> banned
                    ? Uni.createFrom().item(BanCheck.refusal())
                    : tickets.issue(guest)
                            .map(t -> Response.ok(new TicketResponse(t, tickets.ttl().toSeconds())).build()));
        });
    }

    /**
     * What bans by guest fingerprint match: a keyed hash of the client address and user agent,
     * so the same device gets the same fingerprint across guest sessions without the raw
     * address being stored anywhere.
     */
    private String fingerprint(HttpServerRequest request) {
        String ip = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        String agent = request.getHeader("User-Agent") == null ? "" : request.getHeader("User-Agent");
        return fingerprint(ip + "|" + agent);
    }

    private String fingerprint(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.fingerprintKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Uni<Response> problem(int status, String code, String message) {
        return Uni.createFrom().item(Response.status(status).entity(new Problem(code, message)).build());
    }
}
