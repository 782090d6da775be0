package io.securechat.transcript.conversation.service;

import io.securechat.transcript.api.Reader;
import io.securechat.transcript.conversation.model.ReadAccess;
import io.securechat.transcript.conversation.model.ReadAccess.Basis;
import io.securechat.transcript.conversation.model.ReadAccess.Subject;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.UUID;

/**
 * What attachments and privacy need to know of a conversation, read with the reactive pool (usable
 * from worker threads with {@code await}, unlike a Hibernate Reactive session), and the read rule
 * of the history API on top of it.
 */
@ApplicationScoped
public class ConversationInfo {

    /** A conversation as stored; {@code erased}: its keys were destroyed; {@code tombstoned}: purged or erased. */
    public record Info(UUID id, String queue, String customerId, String agentId, String state, boolean erased,
            boolean tombstoned) {

        public boolean closed() {
            return "CLOSED".equals(state);
        }
    }

    private final Pool pool;

    public ConversationInfo(Pool pool) {
        this.pool = pool;
    }

    /** Null when neither a conversation row nor a tombstone exists. */
    public Uni<Info> find(UUID id) {
        return pool.preparedQuery("""
                        SELECT c.queue, c.customer_id, c.agent_id, c.state, c.erased_at IS NOT NULL AS erased,
                               EXISTS (SELECT 1 FROM conversation_tombstones t WHERE t.conversation_id = $1) AS tombstoned
                          FROM conversations c WHERE c.id = $1""")
                .execute(Tuple.of(id)).map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row r = it.next();
                    return new Info(id, r.getString("queue"), r.getString("customer_id"), r.getString("agent_id"),
                            r.getString("state"), Boolean.TRUE.equals(r.getBoolean("erased")),
                            Boolean.TRUE.equals(r.getBoolean("tombstoned")));
                });
    }

    /**
     * The history API's rule ({@link ReadAccess}) for a known conversation; erased and purged
     * conversations are readable by nobody here (compliance sees erased ones in the history API).
     */
    public Uni<Basis> readBasis(Reader reader, Info c) {
        if (c == null || c.erased() || c.tombstoned()) {
            return Uni.createFrom().item(Basis.NONE);
        }
        Subject subject = new Subject(c.customerId(), c.agentId());
        if (!ReadAccess.needsServingCheck(reader, subject)) {
            return Uni.createFrom().item(ReadAccess.read(reader, subject, false));
        }
        return pool.preparedQuery("SELECT count(*) FROM conversations WHERE state = 'ASSIGNED' AND agent_id = $1 AND customer_id = $2")
                .execute(Tuple.of(reader.userId(), c.customerId()))
                .map(rows -> ReadAccess.read(reader, subject, rows.iterator().next().getLong(0) > 0));
    }

    /** Whether the conversation was purged or erased (late records for it are not stored). */
    public Uni<Boolean> tombstoned(UUID id) {
        return pool.preparedQuery("SELECT 1 FROM conversation_tombstones WHERE conversation_id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext());
    }
}
