package io.securechat.session.conversation;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
import io.securechat.session.api.Caller;
import io.securechat.session.conversation.service.ConversationReads;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A customer's conversations, newest first: for the customer themself (widget history), the
 * agent now serving them (earlier conversations as context), supervisors and compliance.
 * Anyone else gets 404, as if the customer had none.
 */
@Path("/api/v1/customers")
@RolesAllowed({"customer", "agent", "supervisor", "compliance"})
@Produces(MediaType.APPLICATION_JSON)
public class CustomerResource {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    @Inject
    SecurityIdentity identity;

    @Inject
    ConversationReads reads;

    @GET
    @Path("{userId}/conversations")
    public Uni<RestResponse<Object>> conversations(@PathParam("userId") String userId, @QueryParam("limit") String limit) {
        int max = (int) ApiError.param("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        return reads.ofCustomer(Caller.of(identity), userId, max)
                .map(list -> list == null ? ApiError.notFound("customer") : RestResponse.ok(list));
    }
}
