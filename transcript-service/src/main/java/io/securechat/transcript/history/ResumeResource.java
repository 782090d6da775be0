package io.securechat.transcript.history;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.history.service.HistoryReads;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code GET /internal/v1/conversations/{id}/messages?userId=&roles=&afterSeq=&limit=}: the
 * history for a WebSocket resume, asked by the gateway for the user of a socket it has
 * authenticated (guests included, who have no Keycloak token). Only the platform's service
 * identity (realm role {@code service}) may call it, and the gateway never routes
 * {@code /internal/**} from outside. The read is decided by the <b>subscribe</b> rule, not the
 * history API's read rule: only the conversation's customer, its assigned agent and supervisors
 * (session-service's {@code ConversationAccess} SUBSCRIBE); compliance and serving agents get 404
 * here (they read through the history API with their own token). Audited as the history API
 * audits, with the calling service's principal as {@code details.via}.
 */
@Path("/internal/v1/conversations")
@RolesAllowed("service")
@Produces(MediaType.APPLICATION_JSON)
public class ResumeResource {

    @Inject
    HistoryReads reads;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("{id}/messages")
    public Uni<RestResponse<Object>> messages(@PathParam("id") String id, @QueryParam("userId") String userId,
            @QueryParam("roles") String roles, @QueryParam("afterSeq") String afterSeq, @QueryParam("limit") String limit) {
        long after = ApiError.param("afterSeq", afterSeq, 0, 0, Long.MAX_VALUE);
        int max = (int) ApiError.param("limit", limit, HistoryResource.DEFAULT_LIMIT, 1, HistoryResource.MAX_LIMIT);
        UUID conversationId = ApiError.uuidOrNull(id);
        if (conversationId == null || userId == null || userId.isBlank() || userId.length() > 128) {
            return Uni.createFrom().item(ApiError.notFound("conversation"));
        }
        List<String> onBehalfRoles = roles == null || roles.isBlank() ? List.of()
                : Arrays.stream(roles.split(",")).map(String::strip).filter(Reader.CHAT_ROLES::contains).toList();
        return reads.resume(new Reader(userId, onBehalfRoles), identity.getPrincipal().getName(), conversationId, after, max)
                .map(p -> p == null ? ApiError.notFound("conversation") : RestResponse.ok(p));
    }
}
