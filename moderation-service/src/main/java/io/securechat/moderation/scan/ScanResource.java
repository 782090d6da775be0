package io.securechat.moderation.scan;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * {@code POST /internal/v1/attachments/scan?filename=&contentType=&size=&conversationId=&attachmentId=&uploaderId=&fingerprint=&roles=}
 * with the file as the raw body: the verdict on an upload before anything is stored
 * (docs/moderation-attachments.md). Only the platform's service identities (realm role
 * {@code service}: transcript-service's {@code chat-transcript}) may call it, and the gateway
 * never routes {@code /internal/**}. Blocking: the body is read from an InputStream on a worker
 * thread, at most {@code chat.scan.max-bytes} of it.
 *
 * <p>200 with the verdict, CLEAN or REJECTED; 400 when the parameters are not usable; 503 when
 * no verdict can be given now (ClamAV configured but unreachable, the audit trail unreachable,
 * every scan slot busy): the caller must not store the file.
 */
@Path("/internal/v1/attachments/scan")
@RolesAllowed("service")
public class ScanResource {

    private static final Logger LOG = Logger.getLogger(ScanResource.class);
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z_-]{0,31}");

    @Inject
    ScanService service;

    @Inject
    SecurityIdentity identity;

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response scan(@QueryParam("filename") String filename, @QueryParam("contentType") String contentType,
            @QueryParam("size") String size, @QueryParam("conversationId") String conversationId,
            @QueryParam("attachmentId") String attachmentId, @QueryParam("uploaderId") String uploaderId,
            @QueryParam("fingerprint") String fingerprint, @QueryParam("roles") String roles, InputStream body) {
        UUID conversation = ApiError.uuidOrNull(conversationId);
        if (conversation == null) {
            return error(400, "bad_request", "conversationId must be a UUID");
        }
        UUID attachment = attachmentId == null || attachmentId.isBlank() ? UUID.randomUUID() : ApiError.uuidOrNull(attachmentId);
        if (attachment == null) {
            return error(400, "bad_request", "attachmentId must be a UUID");
        }
        if (uploaderId == null || uploaderId.isBlank() || uploaderId.length() > 128) {
            return error(400, "bad_request", "uploaderId is required (at most 128 characters)");
        }
        if (fingerprint != null && (fingerprint.isBlank() || fingerprint.length() > 128)) {
            return error(400, "bad_request", "fingerprint must have 1 to 128 characters");
        }
        Long length = size == null || size.isBlank() ? null : ApiError.param("size", size, 0, 0, Integer.MAX_VALUE);
        List<String> roleList = roles == null || roles.isBlank() ? List.of()
                : Arrays.stream(roles.split(",")).map(String::strip).filter(r -> ROLE.matcher(r).matches()).distinct()
                        .limit(10).toList();
        ScanRequest request = new ScanRequest(filename, contentType, length, conversation, attachment, uploaderId,
                fingerprint, roleList);
        try {
            return Response.ok(service.scan(request, body, caller()), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (ScanService.Unavailable e) {
            return error(503, "internal", "files cannot be checked right now; try again shortly");
        } catch (IOException e) {
            LOG.infof("scan of attachment %s (conversation %s): the body could not be read (%s)", attachment, conversation,
                    e.getClass().getSimpleName());
            return error(400, "bad_request", "the file could not be read completely");
        }
    }

    /** The calling service's client id ({@code azp}), else its subject. */
    private String caller() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getClaim("azp") != null) {
            return jwt.getClaim("azp").toString();
        }
        return identity.getPrincipal().getName();
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(code, message)).build();
    }
}
