package io.securechat.moderation.ban;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The {@code bans} table (bans and mutes) for the moderator API, reputation and the Redis
 * mirror. {@link BanPolicy} keeps its own one-query lookup for the message path.
 */
@ApplicationScoped
public class BanStore {

    /** Active: not lifted, not expired; on the database's clock, as {@link BanPolicy} decides. */
    static final String ACTIVE = "lifted_at IS NULL AND (expires_at IS NULL OR expires_at > now())";

    /** What the mirror needs per banned subject: the ban that lasts longest. */
    public record Longest(String subjectKind, String subject, UUID banId, java.time.Instant expiresAt) {}

    private final Pool pool;

    public BanStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Ban> insert(BanOrder o, String createdBy) {
        return pool.preparedQuery("INSERT INTO bans (id, kind, subject_kind, subject, reason, created_by, expires_at, "
                        + "report_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " + Ban.COLUMNS)
                .execute(Tuple.from(Arrays.asList(UUID.randomUUID(), o.kind(), o.subjectKind(), o.subject(), o.reason(),
                        createdBy, o.expiresAt() == null ? null : o.expiresAt().atOffset(java.time.ZoneOffset.UTC),
                        o.reportId(), o.note())))
                .map(rows -> Ban.of(rows.iterator().next()));
    }

    public Uni<Ban> find(UUID id) {
        return pool.preparedQuery("SELECT " + Ban.COLUMNS + " FROM bans WHERE id = $1").execute(Tuple.of(id))
                .map(BanStore::first);
    }

    /** Lifts the ban if it is active: the lifted row, or null when it was not active (or unknown). */
    public Uni<Ban> lift(UUID id, String liftedBy, String reason) {
        return pool.preparedQuery("UPDATE bans SET lifted_at = now(), lifted_by = $2, lift_reason = $3 WHERE id = $1 AND "
                        + ACTIVE + " RETURNING " + Ban.COLUMNS)
                .execute(Tuple.of(id, liftedBy, reason))
                .map(BanStore::first);
    }

    /**
     * Active bans, newest first. {@code kind} null: both kinds; {@code subjectKind}/{@code subject}
     * null: every subject; {@code before}: the id of the last row of the previous page.
     */
    public Uni<List<Ban>> active(String kind, String subjectKind, String subject, UUID before, int limit) {
        return pool.preparedQuery("SELECT " + Ban.COLUMNS + " FROM bans WHERE " + ACTIVE
                        + " AND ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR subject_kind = $2)"
                        + " AND ($3::text IS NULL OR subject = $3)"
                        + " AND ($4::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM bans WHERE id = $4))"
                        + " ORDER BY created_at DESC, id DESC LIMIT $5")
                .execute(Tuple.from(Arrays.asList(kind, subjectKind, subject, before, limit)))
                .map(BanStore::all);
    }

    public Uni<Boolean> exists(UUID id) {
        return pool.preparedQuery("SELECT 1 FROM bans WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.size() > 0);
    }

    /** The longest-running active restriction of this kind on the subject, or null. */
    public Uni<Ban> longest(String kind, String subjectKind, String subject) {
        return pool.preparedQuery("SELECT " + Ban.COLUMNS + " FROM bans WHERE " + ACTIVE
                        + " AND kind = $1 AND subject_kind = $2 AND subject = $3"
                        + " ORDER BY expires_at DESC NULLS FIRST, created_at DESC LIMIT 1")
                .execute(Tuple.of(kind, subjectKind, subject))
                .map(BanStore::first);
    }

    /** Per banned subject (bans only, not mutes), the ban that lasts longest: what the Redis mirror holds. */
    public Uni<List<Longest>> longestBans() {
        return pool.query("SELECT DISTINCT ON (subject_kind, subject) subject_kind, subject, id, expires_at FROM bans"
                        + " WHERE kind = 'BAN' AND " + ACTIVE
                        + " ORDER BY subject_kind, subject, expires_at DESC NULLS FIRST")
                .execute()
                .map(rows -> {
                    List<Longest> out = new ArrayList<>();
                    for (Row r : rows) {
                        var t = r.getOffsetDateTime("expires_at");
                        out.add(new Longest(r.getString("subject_kind"), r.getString("subject"), r.getUUID("id"),
                                t == null ? null : t.toInstant()));
                    }
                    return out;
                });
    }

    private static Ban first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Ban.of(it.next()) : null;
    }

    private static List<Ban> all(RowSet<Row> rows) {
        List<Ban> out = new ArrayList<>();
        rows.forEach(r -> out.add(Ban.of(r)));
        return out;
    }
}
