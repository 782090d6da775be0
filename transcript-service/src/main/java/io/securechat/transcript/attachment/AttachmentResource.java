package io.securechat.transcript.attachment;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.attachment.service.Attachments;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * {@code POST /api/v1/conversations/{id}/attachments?filename=NAME} (the raw file as the body)
 * and {@code GET /api/v1/conversations/{id}/attachments/{attachmentId}}. Blocking: the body is
 * read as a stream on a worker thread (RESTEasy Reactive hands a blocking method an InputStream
 * over the request, never a buffered copy of it), and so is the download.
 */
@Path("/api/v1/conversations/{id}/attachments")
public class AttachmentResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    Attachments attachments;

    @POST
    @Blocking
    @Consumes("*/*")
    @RolesAllowed({"customer", "agent"})
    public Response upload(@PathParam("id") String id, @QueryParam("filename") String filename,
            @HeaderParam("Content-Type") String contentType, @HeaderParam("Content-Length") String contentLength,
            InputStream body) {
        Long length = null;
        try {
            length = contentLength == null ? null : Long.valueOf(contentLength.trim());
        } catch (NumberFormatException e) {
            throw new ApiError.BadRequest("Content-Length must be a whole number");
        }
        return attachments.upload(Reader.of(identity), ApiError.uuidOrNull(id), filename, contentType, length, body);
    }

    @GET
    @Blocking
    @Path("{attachmentId}")
    @RolesAllowed({"customer", "agent", "supervisor", "compliance"})
    public Response download(@PathParam("id") String id, @PathParam("attachmentId") String attachmentId) {
        return attachments.download(Reader.of(identity), ApiError.uuidOrNull(id), ApiError.uuidOrNull(attachmentId));
    }
}
