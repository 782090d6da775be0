package io.securechat.moderation.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The {@code reports} table: the moderator queue. */
@ApplicationScoped
public class ReportStore {

    private final Pool pool;

    public ReportStore(Pool pool) {
        this.pool = pool;
    }

    /** Stores the report once: true when stored now, false when the command was stored before (a redelivery). */
    public Uni<Boolean> insert(ReportCommand c) {
        UUID[] messageIds = c.messageIds().stream().map(UUID::fromString).distinct().toArray(UUID[]::new);
        var issued = (c.issuedAt() == null ? java.time.Instant.now() : c.issuedAt()).atOffset(ZoneOffset.UTC);
        return pool.preparedQuery("INSERT INTO reports (id, reported_at, reporter_id, reporter_roles, reported_user_id, "
                        + "conversation_id, reason, message_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                        + "ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.from(Arrays.asList(UUID.fromString(c.commandId()), issued, c.actor().userId(),
                        c.actor().roles().toArray(String[]::new), c.reportedUserId(), UUID.fromString(c.conversationId()),
                        c.reason(), messageIds)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Report> find(UUID id) {
        return pool.preparedQuery("SELECT " + Report.COLUMNS + " FROM reports WHERE id = $1").execute(Tuple.of(id))
                .map(ReportStore::first);
    }

    public Uni<Boolean> exists(UUID id) {
        return pool.preparedQuery("SELECT 1 FROM reports WHERE id = $1").execute(Tuple.of(id)).map(r -> r.size() > 0);
    }

    /** Reports of a status, newest first; {@code before}: the last report of the previous page. */
    public Uni<List<Report>> list(String status, UUID before, int limit) {
        return pool.preparedQuery("SELECT " + Report.COLUMNS + " FROM reports WHERE status = $1"
                        + " AND ($2::uuid IS NULL OR (reported_at, id) < (SELECT reported_at, id FROM reports WHERE id = $2))"
                        + " ORDER BY reported_at DESC, id DESC LIMIT $3")
                .execute(Tuple.from(Arrays.asList(status, before, limit)))
                .map(rows -> {
                    List<Report> out = new ArrayList<>();
                    rows.forEach(r -> out.add(Report.of(r)));
                    return out;
                });
    }

    /** Resolves an open report: the resolved row, or null when it is not open (or unknown). */
    public Uni<Report> resolve(UUID id, String resolution, String note, String by) {
        return pool.preparedQuery("UPDATE reports SET status = 'RESOLVED', resolution = $2, note = $3, resolved_by = $4, "
                        + "resolved_at = now() WHERE id = $1 AND status = 'OPEN' RETURNING " + Report.COLUMNS)
                .execute(Tuple.of(id, resolution, note, by))
                .map(ReportStore::first);
    }

    private static Report first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Report.of(it.next()) : null;
    }
}
