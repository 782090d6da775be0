package io.securechat.moderation.ban;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@code GET /api/v1/moderation/bans}: the bans in force (not mutes), for moderators. */
@Path("/api/v1/moderation/bans")
public class BanResource {

    public record BanView(UUID id, String subjectKind, String subject, String reason, String createdBy,
            OffsetDateTime createdAt, OffsetDateTime expiresAt) {}

    @Inject
    Pool pool;

    @GET
    @RolesAllowed({"moderator", "admin"})
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<BanView>> active() {
        return pool.query("""
                SELECT id, subject_kind, subject, reason, created_by, created_at, expires_at FROM bans
                 WHERE kind = 'BAN' AND lifted_at IS NULL AND (expires_at IS NULL OR expires_at > now())
                 ORDER BY created_at DESC LIMIT 500""")
                .execute()
                .map(rows -> {
                    List<BanView> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new BanView(r.getUUID("id"), r.getString("subject_kind"), r.getString("subject"),
                                r.getString("reason"), r.getString("created_by"),
                                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("expires_at")));
                    }
                    return out;
                });
    }
}
