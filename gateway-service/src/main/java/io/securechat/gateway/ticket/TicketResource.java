package io.securechat.gateway.ticket;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.gateway.identity.Principals;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/v1/tickets}: trades a bearer token for a one-time WebSocket ticket
 * (browsers cannot set headers on a WebSocket upgrade).
 */
@Path("/api/v1/tickets")
public class TicketResource {

    public record TicketResponse(String ticket, long expiresIn) {}

    @Inject
    SecurityIdentity identity;

    @Inject
    TicketStore store;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<TicketResponse> issue() {
        return store.issue(Principals.fromIdentity(identity))
                .map(t -> new TicketResponse(t, store.ttl().toSeconds()));
    }
}
