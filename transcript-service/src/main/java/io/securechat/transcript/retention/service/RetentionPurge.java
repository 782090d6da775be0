package io.securechat.transcript.retention.service;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.attachment.service.StreamKeys;
import io.securechat.transcript.message.service.DataKeys;
import io.securechat.transcript.messaging.AuditPublisher;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.securechat.transcript.privacy.model.LegalHold;
import io.securechat.transcript.retention.model.RetentionPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The retention purge: every closed conversation past its queue's policy ({@link RetentionPolicy})
 * and not under an active legal hold loses its messages, search terms, attachments and keys; its
 * conversation row is replaced by a tombstone (id, purgedAt), so late or redelivered records for
 * it are not stored again. One transaction per run, guarded by a PostgreSQL advisory lock: with two
 * instances only one purges, the other answers {@code skipped}.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
    /** Advisory lock key: "transcript retention purge". */
    static final long LOCK = 0x7472_616e_7363_7270L;

    private final Pool pool;
    private final AuditPublisher audit;
    private final DataKeys dataKeys;
    private final StreamKeys streamKeys;

    public RetentionPurge(Pool pool, AuditPublisher audit, DataKeys dataKeys, StreamKeys streamKeys) {
        this.pool = pool;
        this.audit = audit;
        this.dataKeys = dataKeys;
        this.streamKeys = streamKeys;
    }

    @JsonPropertyOrder({"conversations", "messages", "attachments", "keys", "held", "skipped", "tookMs"})
    public record PurgeResult(int conversations, int messages, int attachments, int keys, int held, boolean skipped,
            long tookMs) {}

    private record Candidate(UUID id, String customerId) {}

    public Uni<PurgeResult> run(Reader actor) {
        long started = System.nanoTime();
        Instant now = Instant.now();
        List<UUID> purged = new ArrayList<>();
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1)").execute(Tuple.of(LOCK))
                        .chain(rows -> {
                            if (!Boolean.TRUE.equals(rows.iterator().next().getBoolean(0))) {
                                return Uni.createFrom().item(new PurgeResult(0, 0, 0, 0, 0, true, 0));
                            }
                            return purge(conn, now, purged, started);
                        }))
                .invoke(r -> purged.forEach(id -> {
                    dataKeys.evict(id);
                    streamKeys.evict(id);
                }))
                .call(r -> r.skipped() ? Uni.createFrom().voidItem() : audit.publish(AuditEvent.of(actor,
                        AuditEvent.RETENTION_PURGE, "retention", "purge", AuditEvent.SUCCESS, details(r))))
                .invoke(r -> LOG.infof("retention purge%s: %d conversation(s), %d message(s), %d attachment(s), %d key(s) "
                        + "deleted, %d held back", r.skipped() ? " skipped (another instance runs it)" : "", r.conversations(),
                        r.messages(), r.attachments(), r.keys(), r.held()));
    }

    private Uni<PurgeResult> purge(SqlConnection conn, Instant now, List<UUID> purged, long started) {
        // The policy arithmetic is RetentionPolicy's (unit-tested); SQL only narrows to closed conversations.
        return conn.query("""
                        SELECT c.id, c.customer_id, c.closed_at, p.policy FROM conversations c
                          JOIN retention_policies p ON p.queue = c.queue
                         WHERE c.state = 'CLOSED' AND c.closed_at IS NOT NULL AND p.policy <> 'INDEFINITE'""").execute()
                .chain(rows -> {
                    List<Candidate> due = new ArrayList<>();
                    for (Row r : rows) {
                        if (RetentionPolicy.expired(r.getString("policy"), r.getOffsetDateTime("closed_at").toInstant(), now)) {
                            due.add(new Candidate(r.getUUID("id"), r.getString("customer_id")));
                        }
                    }
                    return activeHolds(conn).map(holds -> {
                        int held = 0;
                        for (Candidate c : due) {
                            if (LegalHold.covering(holds, c.id(), c.customerId()).isPresent()) {
                                held++;
                            } else {
                                purged.add(c.id());
                            }
                        }
                        return held;
                    });
                })
                .chain(held -> {
                    Tuple ids = Tuple.of(purged.toArray(UUID[]::new));
                    int[] n = new int[4];
                    return conn.preparedQuery("DELETE FROM messages WHERE conversation_id = ANY($1)").execute(ids)
                            .invoke(r -> n[0] = r.rowCount())
                            .chain(() -> conn.preparedQuery("DELETE FROM message_terms WHERE conversation_id = ANY($1)").execute(ids))
                            .chain(() -> conn.preparedQuery("DELETE FROM attachments WHERE conversation_id = ANY($1)").execute(ids))
                            .invoke(r -> n[1] = r.rowCount())
                            .chain(() -> conn.preparedQuery("DELETE FROM conversation_keys WHERE conversation_id = ANY($1)").execute(ids))
                            .invoke(r -> n[2] = r.rowCount())
                            .chain(() -> conn.preparedQuery("DELETE FROM attachment_keys WHERE conversation_id = ANY($1)").execute(ids))
                            .invoke(r -> n[3] = r.rowCount())
                            .chain(() -> conn.preparedQuery("""
                                    INSERT INTO conversation_tombstones (conversation_id, reason) SELECT unnest($1::uuid[]), 'retention'
                                    ON CONFLICT (conversation_id) DO UPDATE SET reason = 'retention', at = now()""").execute(ids))
                            .chain(() -> conn.preparedQuery("DELETE FROM conversations WHERE id = ANY($1)").execute(ids))
                            .map(r -> new PurgeResult(purged.size(), n[0], n[1], n[2] + n[3], held, false,
                                    (System.nanoTime() - started) / 1_000_000));
                });
    }

    private static Uni<List<LegalHold>> activeHolds(SqlConnection conn) {
        return conn.query("SELECT hold_id, conversation_id, subject_id FROM legal_holds WHERE lifted_at IS NULL").execute()
                .map(rows -> {
                    List<LegalHold> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new LegalHold(r.getUUID("hold_id"), r.getUUID("conversation_id"), r.getString("subject_id"),
                                null, null, null, null, null));
                    }
                    return out;
                });
    }

    private static Map<String, Object> details(PurgeResult r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("conversations", r.conversations());
        d.put("messages", r.messages());
        d.put("attachments", r.attachments());
        d.put("keys", r.keys());
        d.put("held", r.held());
        d.put("tookMs", r.tookMs());
        return d;
    }
}
