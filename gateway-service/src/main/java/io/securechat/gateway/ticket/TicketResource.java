package io.securechat.gateway.ticket;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.gateway.ban.BanCheck;
import io.securechat.gateway.identity.ChatPrincipal;
import io.securechat.gateway.identity.Principals;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/v1/tickets}: trades a bearer token for a one-time WebSocket ticket
 * (browsers cannot set headers on a WebSocket upgrade). A banned user or client address gets 403
 * {@code banned} here already (the upgrade checks again: a ticket outlives nothing but 30 s).
 */
@Path("/api/v1/tickets")
public class TicketResource {

    public record TicketResponse(String ticket, long expiresIn) {}

    @Inject
    SecurityIdentity identity;

    @Inject
    TicketStore store;

    @Inject
    BanCheck bans;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> issue(@Context HttpServerRequest request) {
        ChatPrincipal p = Principals.fromIdentity(identity);
        return bans.banned(p.userId(), null, bans.ipHash(request)).chain(banned -> banned
                ? Uni.createFrom().item(BanCheck.refusal())
                : store.issue(p).map(t -> Response.ok(new TicketResponse(t, store.ttl().toSeconds())).build()));
    }
}
