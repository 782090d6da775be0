package io.securechat.transcript.privacy;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.attachment.scan.FileNames;
import io.securechat.transcript.privacy.service.Privacy;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * GDPR (ARCHITECTURE section 7): {@code GET /api/v1/privacy/subjects/{userId}/export} (the subject,
 * or compliance; anyone else 404 as for an unknown subject) and
 * {@code POST /api/v1/privacy/subjects/{userId}/erasure} (compliance; 409 {@code legal_hold} under a hold).
 */
@Path("/api/v1/privacy/subjects/{userId}")
@Produces(MediaType.APPLICATION_JSON)
public class PrivacyResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    Privacy privacy;

    @GET
    @Path("export")
    @Authenticated
    public Uni<Response> export(@PathParam("userId") String userId) {
        Reader reader = Reader.of(identity);
        if (userId == null || userId.isBlank() || !Privacy.mayExport(reader, userId)) {
            return Uni.createFrom().item(Response.status(404).type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("not_found", "subject not found")).build());
        }
        return privacy.export(reader, userId).map(e -> Response.ok(e, MediaType.APPLICATION_JSON)
                .header("Content-Disposition", FileNames.contentDisposition("securechat-export-" + userId + ".json"))
                .header("Cache-Control", "no-store").build());
    }

    @POST
    @Path("erasure")
    @RolesAllowed("compliance")
    public Uni<Response> erase(@PathParam("userId") String userId) {
        if (userId == null || userId.isBlank() || userId.length() > 200) {
            throw new ApiError.BadRequest("userId must be a user id");
        }
        return privacy.erase(Reader.of(identity), userId)
                .map(e -> Response.ok(e, MediaType.APPLICATION_JSON).build())
                .onFailure(Privacy.HeldBack.class).recoverWithItem(t -> Response.status(409).type(MediaType.APPLICATION_JSON)
                        .entity(new ApiError("legal_hold", t.getMessage())).build());
    }
}
