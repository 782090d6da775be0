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
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * One conversation for the agent console and the customer widget: its summary and its
 * messages. Who may read is decided by {@code ConversationAccess.read}; everyone else gets 404,
 * as for an unknown or malformed id, so the answer does not reveal that a conversation exists.
 */
@Path("/api/v1/conversations")
@RolesAllowed({"customer", "agent", "supervisor", "compliance"})
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    @Inject
    SecurityIdentity identity;

    @Inject
    ConversationReads reads;

    @GET
    @Path("{id}")
    public Uni<RestResponse<Object>> summary(@PathParam("id") String id) {
        UUID conversationId = ApiError.uuidOrNull(id);
        if (conversationId == null) {
            return Uni.createFrom().item(ApiError.notFound("conversation"));
        }
        return reads.summary(Caller.of(identity), conversationId)
                .map(s -> s == null ? ApiError.notFound("conversation") : RestResponse.ok(s));
    }

    @GET
    @Path("{id}/messages")
    public Uni<RestResponse<Object>> messages(@PathParam("id") String id, @QueryParam("afterSeq") String afterSeq,
            @QueryParam("limit") String limit) {
        long after = ApiError.param("afterSeq", afterSeq, 0, 0, Long.MAX_VALUE);
        int max = (int) ApiError.param("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        UUID conversationId = ApiError.uuidOrNull(id);
        if (conversationId == null) {
            return Uni.createFrom().item(ApiError.notFound("conversation"));
        }
        return reads.messages(Caller.of(identity), conversationId, after, max)
                .map(p -> p == null ? ApiError.notFound("conversation") : RestResponse.ok(p));
    }
}
