package io.securechat.audit.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Reads of the log for the compliance API: pages, single records, and ordered streams. */
@ApplicationScoped
public class AuditRecords {

    static final int CHUNK = 1000;

    private final Pool pool;
    private final ObjectMapper json;

    public AuditRecords(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** A stored row as the API shows it: {seq, recordedAt, hash, prevHash, event}. */
    public ObjectNode item(Row r) {
        ObjectNode entry = entry(r);
        ObjectNode item = json.createObjectNode();
        item.put("seq", r.getLong("seq"));
        item.set("recordedAt", entry.get("recordedAt"));
        item.put("hash", r.getString("hash"));
        item.put("prevHash", r.getString("prev_hash"));
        item.set("event", entry.get("event"));
        return item;
    }

    public ObjectNode entry(Row r) {
        try {
            return (ObjectNode) json.readTree(r.getString("entry"));
        } catch (Exception e) {
            // A row altered into something that is not JSON: show it as such, verify names it.
            ObjectNode broken = json.createObjectNode();
            broken.putObject("event").put("unreadable", true);
            return broken;
        }
    }

    /** Newest first, seq below {@code before}. */
    public Uni<List<Row>> page(AuditFilter filter, long before, int limit) {
        List<Object> args = new ArrayList<>();
        String where = filter.where(args);
        args.add(before);
        String sql = "SELECT seq, entry, prev_hash, hash FROM audit_records WHERE " + where + " AND seq < $" + args.size()
                + " ORDER BY seq DESC LIMIT " + limit;
        return pool.preparedQuery(sql).execute(Tuple.from(args)).map(AuditRecords::rows);
    }

    public Uni<Row> byEventId(UUID eventId) {
        return pool.preparedQuery("SELECT seq, entry, prev_hash, hash FROM audit_records WHERE event_id = $1")
                .execute(Tuple.of(eventId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
    }

    /**
     * Every matching row with seq in [1, upTo], ascending, read in chunks by seq (no cursor is
     * held open: the log only grows, so each chunk continues where the last ended).
     */
    public Multi<Row> ascending(AuditFilter filter, long upTo, String columns) {
        AtomicLong after = new AtomicLong(0);
        return Multi.createBy().repeating()
                .uni(() -> {
                    List<Object> args = new ArrayList<>();
                    String where = filter.where(args);
                    args.add(after.get());
                    int a = args.size();
                    args.add(upTo);
                    String sql = "SELECT " + columns + " FROM audit_records WHERE " + where + " AND seq > $" + a
                            + " AND seq <= $" + (a + 1) + " ORDER BY seq LIMIT " + CHUNK;
                    return pool.preparedQuery(sql).execute(Tuple.from(args)).map(AuditRecords::rows)
                            .invoke(rows -> {
                                if (!rows.isEmpty()) {
                                    after.set(rows.get(rows.size() - 1).getLong("seq"));
                                }
                            });
                })
                .whilst(rows -> rows.size() == CHUNK)
                .onItem().transformToIterable(rows -> rows);
    }

    private static List<Row> rows(RowSet<Row> set) {
        List<Row> out = new ArrayList<>(set.size());
        set.forEach(out::add);
        return out;
    }
}
