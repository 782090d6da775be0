package io.securechat.transcript.privacy;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.privacy.model.LegalHold;
import io.securechat.transcript.privacy.service.LegalHolds;
import io.securechat.transcript.privacy.service.LegalHolds.NewHold;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/** Legal holds (ARCHITECTURE section 7): set and lifted by compliance, listed for compliance and admins. */
@Path("/api/v1/privacy/holds")
@Produces(MediaType.APPLICATION_JSON)
public class LegalHoldResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    LegalHolds holds;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("compliance")
    public Uni<RestResponse<LegalHold>> set(NewHold body) {
        NewHold checked = LegalHolds.check(body);
        return holds.set(Reader.of(identity), checked).map(h -> RestResponse.status(RestResponse.Status.CREATED, h));
    }

    @GET
    @RolesAllowed({"compliance", "admin"})
    public Uni<List<LegalHold>> list(@QueryParam("active") String active) {
        if (active != null && !active.equals("true") && !active.equals("false")) {
            throw new ApiError.BadRequest("active must be true or false");
        }
        return holds.list("true".equals(active));
    }

    @DELETE
    @Path("{holdId}")
    @RolesAllowed("compliance")
    public Uni<RestResponse<Object>> lift(@PathParam("holdId") String holdId) {
        UUID id = ApiError.uuidOrNull(holdId);
        if (id == null) {
            return Uni.createFrom().item(ApiError.notFound("legal hold"));
        }
        return holds.lift(Reader.of(identity), id).map(h -> h == null ? ApiError.notFound("legal hold") : RestResponse.ok(h));
    }
}
