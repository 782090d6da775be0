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
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code GET /api/v1/conversations/{id}/messages?afterSeq=0&limit=50}: the transcript, decrypted.
 * Bad parameters are 400 (checked first, so they reveal nothing); a conversation the caller may
 * not read answers 404 exactly as an unknown or malformed id.
 */
@Path("/api/v1/conversations")
@RolesAllowed({"customer", "agent", "supervisor", "compliance"})
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    @Inject
    SecurityIdentity identity;

    @Inject
    HistoryReads reads;

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
        return reads.messages(Reader.of(identity), conversationId, after, max)
                .map(p -> p == null ? ApiError.notFound("conversation") : RestResponse.ok(p));
    }
}
