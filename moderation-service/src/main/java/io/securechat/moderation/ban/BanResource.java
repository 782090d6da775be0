package io.securechat.moderation.ban;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
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
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /api/v1/moderation/bans}: list the active bans and mutes, impose one, lift one
 * (docs/moderation-actions.md). Moderators and admins only; every change goes through
 * {@link BanActions}.
 */
@Path("/api/v1/moderation/bans")
@RolesAllowed({"moderator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class BanResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    @Inject
    BanStore store;

    @Inject
    BanActions actions;

    @Inject
    SecurityIdentity identity;

    /** Active bans (default), mutes ({@code kind=MUTE}) or both ({@code kind=ALL}), newest first. */
    @GET
    public Uni<List<Ban>> active(@QueryParam("kind") String kind, @QueryParam("subjectKind") String subjectKind,
            @QueryParam("subject") String subject, @QueryParam("limit") String limit, @QueryParam("before") String before) {
        String k = kind == null || kind.isBlank() ? Ban.BAN : kind.strip();
        if (!BanRequest.KINDS.contains(k) && !"ALL".equals(k)) {
            throw new ApiError.BadRequest("kind must be BAN, MUTE or ALL");
        }
        String sk = subjectKind == null || subjectKind.isBlank() ? null : subjectKind.strip();
        if (sk != null && !BanRequest.SUBJECT_KINDS.contains(sk)) {
            throw new ApiError.BadRequest("subjectKind must be USER, GUEST_FINGERPRINT or IP_HASH");
        }
        String s = subject == null || subject.isBlank() ? null : subject.strip();
        if (s != null && s.length() > 128) {
            throw new ApiError.BadRequest("subject must be at most 128 characters");
        }
        int max = (int) ApiError.param("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        UUID cursor = null;
        if (before != null && !before.isBlank()) {
            cursor = ApiError.uuidOrNull(before.strip());
            if (cursor == null) {
                throw new ApiError.BadRequest("before must be the id of a ban");
            }
        }
        UUID after = cursor;
        Uni<Boolean> known = after == null ? Uni.createFrom().item(true) : store.exists(after);
        return known.chain(ok -> {
            if (!ok) {
                throw new ApiError.BadRequest("before must be the id of a ban");
            }
            return store.active("ALL".equals(k) ? null : k, sk, s, after, max);
        });
    }

    /** Imposes a ban or mute: 201 with the row; 409 for staff (moderators) and oneself. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Object>> impose(BanRequest body) {
        if (body == null) {
            throw new ApiError.BadRequest("a JSON body is required");
        }
        BanOrder order = body.check(Instant.now());
        return actions.impose(order, Moderator.of(identity))
                .map(ban -> RestResponse.ResponseBuilder.<Object>created(URI.create("/api/v1/moderation/bans/" + ban.id()))
                        .entity(ban).build())
                .onFailure(BanActions.Refused.class).recoverWithItem(t -> ApiError.conflict(t.getMessage()));
    }

    /** Lifts a ban or mute: 204; 404 unknown id; 409 when no longer active. */
    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Object>> lift(@PathParam("id") String id, @QueryParam("reason") String reason) {
        String why = BanRequest.reason(reason, "lifted");
        UUID banId = ApiError.uuidOrNull(id);
        if (banId == null) {
            return Uni.createFrom().item(ApiError.notFound("ban"));
        }
        return actions.lift(banId, why, Moderator.of(identity))
                .map(lifted -> lifted == null ? ApiError.<Object>notFound("ban") : RestResponse.<Object>noContent())
                .onFailure(BanActions.Refused.class).recoverWithItem(t -> ApiError.conflict(t.getMessage()));
    }
}
