package io.securechat.transcript.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.transcript.admin.service.KeyRotation;
import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.keys.KeyEncryptionKeys.RotationRefused;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code POST /api/v1/admin/keys/rotate} (admin only): rotates the key-encryption key and
 * re-wraps every data key with it before answering. 409 when a rotation runs already, or when
 * the kubernetes-secret provider finds no new primary key in the Secret.
 */
@Path("/api/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyRotationResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    KeyRotation rotation;

    @POST
    @Path("rotate")
    @RolesAllowed("admin")
    public Uni<RestResponse<Object>> rotate() {
        return rotation.rotate(Reader.of(identity)).<RestResponse<Object>>map(RestResponse::ok)
                .onFailure(RotationRefused.class).recoverWithItem(t -> ApiError.conflict(t.getMessage()));
    }
}
