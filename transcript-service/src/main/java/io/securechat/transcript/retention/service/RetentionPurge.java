package io.securechat.transcript.retention.service;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.attachment.service.StreamKeys;
import io.securechat.transcript.conversation.service.ConversationLocks;
import io.securechat.transcript.message.service.DataKeys;
import io.securechat.transcript.messaging.AuditPublisher;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.securechat.transcript.retention.model.RetentionPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The retention purge: every closed conversation past its queue's policy ({@link RetentionPolicy}:
 * {@code closed_at + n x 24 h < now}, filtered in SQL) and not under an active legal hold loses its
 * messages, search terms, attachments and keys; its conversation row is replaced by a tombstone
 * (id, reason, time), so late or redelivered records for it are not stored again.
 *
 * <p>In batches of {@code chat.transcript.retention.purge-batch} conversations, each its own
 * transaction: the batch's rows are locked ({@code FOR UPDATE}, id order), then each
 * conversation's lock is taken exclusive ({@link ConversationLocks}, id order) before anything is
 * deleted. A run holds a session-level advisory lock on one connection for all its batches: with
 * two instances only one purges, the other answers {@code skipped}.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
    /** Advisory lock key: "transcript retention purge". */
    static final long LOCK = 0x7472_616e_7363_7270L;

    /** Closed conversations past their policy (bound: $1 the run's time). */
    private static final String EXPIRED = """
            FROM conversations c JOIN retention_policies p ON p.queue = c.queue
            WHERE c.state = 'CLOSED' AND c.closed_at IS NOT NULL AND p.policy ~ '^P[0-9]{1,5}D$'
              AND c.closed_at + make_interval(hours => 24 * CAST(substring(p.policy FROM '^P([0-9]+)D$') AS int)) < $1
            """;
    private static final String HELD = """
            EXISTS (SELECT 1 FROM legal_holds h WHERE h.lifted_at IS NULL
                     AND (h.conversation_id = c.id OR (h.subject_id IS NOT NULL AND h.subject_id = c.customer_id)))""";

    private final Pool pool;
    private final AuditPublisher audit;
    private final DataKeys dataKeys;
    private final StreamKeys streamKeys;
    private final int batch;

    public RetentionPurge(Pool pool, AuditPublisher audit, DataKeys dataKeys, StreamKeys streamKeys,
            @ConfigProperty(name = "chat.transcript.retention.purge-batch", defaultValue = "200") int batch) {
        this.pool = pool;
        this.audit = audit;
        this.dataKeys = dataKeys;
        this.streamKeys = streamKeys;
        this.batch = Math.max(1, batch);
    }

    @JsonPropertyOrder({"conversations", "messages", "attachments", "keys", "held", "skipped", "tookMs"})
    public record PurgeResult(int conversations, int messages, int attachments, int keys, int held, boolean skipped,
            long tookMs) {}

    /** Running totals of one run. */
    private static final class Totals {
        int conversations;
        int messages;
        int attachments;
        int keys;
    }

    public Uni<PurgeResult> run(Reader actor) {
        long started = System.nanoTime();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Totals totals = new Totals();
        return pool.getConnection().chain(conn -> conn.preparedQuery("SELECT pg_try_advisory_lock($1)").execute(Tuple.of(LOCK))
                        .chain(rows -> {
                            if (!Boolean.TRUE.equals(rows.iterator().next().getBoolean(0))) {
                                return Uni.createFrom().item(new PurgeResult(0, 0, 0, 0, 0, true, 0));
                            }
                            return batches(conn, now, totals)
                                    .chain(() -> held(conn, now))
                                    .map(held -> new PurgeResult(totals.conversations, totals.messages, totals.attachments,
                                            totals.keys, held, false, (System.nanoTime() - started) / 1_000_000))
                                    .eventually(() -> conn.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(LOCK))
                                            .onFailure().recoverWithNull());
                        })
                        .eventually(conn::close))
                .call(r -> r.skipped() ? Uni.createFrom().voidItem() : audit.publish(AuditEvent.of(actor,
                        AuditEvent.RETENTION_PURGE, "retention", "purge", AuditEvent.SUCCESS, details(r))))
                .invoke(r -> LOG.infof("retention purge%s: %d conversation(s), %d message(s), %d attachment(s), %d key(s) "
                        + "deleted, %d held back", r.skipped() ? " skipped (another instance runs it)" : "", r.conversations(),
                        r.messages(), r.attachments(), r.keys(), r.held()));
    }

    /** One batch after the other until a batch comes back short. */
    private Uni<Void> batches(SqlConnection conn, OffsetDateTime now, Totals totals) {
        return conn.begin().chain(tx -> batch(conn, now, totals)
                        .call(tx::commit)
                        .onFailure().call(() -> tx.rollback().onFailure().recoverWithNull()))
                .invoke(ids -> ids.forEach(id -> {
                    dataKeys.evict(id);
                    streamKeys.evict(id);
                }))
                .chain(ids -> ids.size() < batch ? Uni.createFrom().voidItem() : batches(conn, now, totals));
    }

    private Uni<List<UUID>> batch(SqlConnection conn, OffsetDateTime now, Totals totals) {
        return conn.preparedQuery("SELECT c.id " + EXPIRED + " AND NOT " + HELD + " ORDER BY c.id LIMIT $2 FOR UPDATE OF c")
                .execute(Tuple.of(now, batch))
                .chain(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    for (Row r : rows) {
                        ids.add(r.getUUID(0));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(ids);
                    }
                    Tuple one = Tuple.of(ids.toArray(UUID[]::new));
                    // Writers of these conversations finish first; later ones see the tombstone (ConversationLocks).
                    return ConversationLocks.exclusive(conn, ids)
                            .chain(() -> conn.preparedQuery("DELETE FROM messages WHERE conversation_id = ANY($1)").execute(one))
                            .invoke(r -> totals.messages += r.rowCount())
                            .chain(() -> conn.preparedQuery("DELETE FROM message_terms WHERE conversation_id = ANY($1)").execute(one))
                            .chain(() -> conn.preparedQuery("DELETE FROM attachments WHERE conversation_id = ANY($1)").execute(one))
                            .invoke(r -> totals.attachments += r.rowCount())
                            .chain(() -> conn.preparedQuery("DELETE FROM conversation_keys WHERE conversation_id = ANY($1)").execute(one))
                            .invoke(r -> totals.keys += r.rowCount())
                            .chain(() -> conn.preparedQuery("DELETE FROM attachment_keys WHERE conversation_id = ANY($1)").execute(one))
                            .invoke(r -> totals.keys += r.rowCount())
                            .chain(() -> conn.preparedQuery("""
                                    INSERT INTO conversation_tombstones (conversation_id, reason, at)
                                    SELECT unnest($1::uuid[]), 'retention', clock_timestamp()
                                    ON CONFLICT (conversation_id) DO UPDATE SET reason = 'retention', at = clock_timestamp()""")
                                    .execute(one))
                            .chain(() -> conn.preparedQuery("DELETE FROM conversations WHERE id = ANY($1)").execute(one))
                            .invoke(r -> totals.conversations += r.rowCount())
                            .replaceWith(ids);
                });
    }

    /** How many expired conversations active holds keep. */
    private static Uni<Integer> held(SqlConnection conn, OffsetDateTime now) {
        return conn.preparedQuery("SELECT count(*) " + EXPIRED + " AND " + HELD).execute(Tuple.of(now))
                .map(rows -> (int) rows.iterator().next().getLong(0).longValue());
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
