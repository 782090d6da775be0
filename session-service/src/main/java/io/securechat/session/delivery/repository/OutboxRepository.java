package io.securechat.session.delivery.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.session.delivery.model.Output;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The {@code outbox} table: outputs written with the state they describe, published after commit. */
@ApplicationScoped
public class OutboxRepository {

    private static final TypeReference<List<Output>> OUTPUTS = new TypeReference<>() {};

    public record Pending(long id, List<Output> outputs) {}

    private final Pool pool;
    private final ObjectMapper json;

    public OutboxRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /**
     * Claims a source (a command or message id) for this transaction. Null when it was claimed
     * before: the record is a redelivery. A concurrent claim waits for the other transaction.
     */
    public Uni<Long> claim(SqlConnection c, String source, UUID conversationId) {
        return c.preparedQuery("INSERT INTO outbox (source, conversation_id) VALUES ($1, $2) "
                        + "ON CONFLICT (source) DO NOTHING RETURNING id")
                .execute(Tuple.of(source, conversationId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("id"));
    }

    /** The outputs of an earlier claim that were not published yet (empty when they were). */
    public Uni<Pending> unpublished(SqlConnection c, String source) {
        return c.preparedQuery("SELECT id, entries::text AS entries FROM outbox "
                        + "WHERE source = $1 AND published_at IS NULL FOR UPDATE")
                .execute(Tuple.of(source))
                .map(rows -> rows.size() == 0 ? new Pending(0, List.of()) : pending(rows.iterator().next()));
    }

    /** Fills a claimed row; with nothing to publish it is published already. */
    public Uni<Void> store(SqlConnection c, long id, List<Output> outputs) {
        if (outputs.isEmpty()) {
            return c.preparedQuery("UPDATE outbox SET published_at = now() WHERE id = $1").execute(Tuple.of(id))
                    .replaceWithVoid();
        }
        return c.preparedQuery("UPDATE outbox SET entries = $2::text::jsonb WHERE id = $1")
                .execute(Tuple.of(id, write(outputs))).replaceWithVoid();
    }

    public Uni<Long> insert(SqlConnection c, String source, UUID conversationId, List<Output> outputs) {
        return c.preparedQuery("INSERT INTO outbox (source, conversation_id, entries) VALUES ($1, $2, $3::text::jsonb) RETURNING id")
                .execute(Tuple.of(source, conversationId, write(outputs)))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    /** Published rows keep only their source, for recognising redeliveries until the purge. */
    public Uni<Void> markPublished(long id) {
        return pool.preparedQuery("UPDATE outbox SET published_at = now(), entries = NULL WHERE id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> markPublished(SqlConnection c, List<Long> ids) {
        return c.preparedQuery("UPDATE outbox SET published_at = now(), entries = NULL WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new))).replaceWithVoid();
    }

    /** Rows left unpublished by a crash or a failed publish, locked for this transaction only. */
    public Uni<List<Pending>> lockStale(SqlConnection c, Instant createdBefore, int limit) {
        return c.preparedQuery("SELECT id, entries::text AS entries FROM outbox WHERE published_at IS NULL "
                        + "AND created_at < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(OffsetDateTime.ofInstant(createdBefore, ZoneOffset.UTC), limit))
                .map(rows -> {
                    List<Pending> out = new ArrayList<>();
                    rows.forEach(r -> out.add(pending(r)));
                    return out;
                });
    }

    public Uni<Integer> purgePublished(Instant createdBefore, int limit) {
        return pool.preparedQuery("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE published_at IS NOT NULL "
                        + "AND created_at < $1 LIMIT $2)")
                .execute(Tuple.of(OffsetDateTime.ofInstant(createdBefore, ZoneOffset.UTC), limit))
                .map(rows -> rows.rowCount());
    }

    private Pending pending(Row r) {
        String entries = r.getString("entries");
        try {
            return new Pending(r.getLong("id"), entries == null ? List.of() : json.readValue(entries, OUTPUTS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox row " + r.getLong("id") + " is not readable", e);
        }
    }

    private String write(List<Output> outputs) {
        try {
            return json.writeValueAsString(outputs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
