package io.securechat.session.conversation.repository;

import static io.securechat.session.Instants.sql;

import io.securechat.session.Instants;
import io.securechat.session.conversation.model.Conversation;
import io.securechat.session.conversation.model.ConversationState;
import io.securechat.session.conversation.model.ConversationSummary;
import io.securechat.session.conversation.model.QueueSnapshot;
import io.securechat.session.delivery.model.Frames;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code conversations} table. Methods that change a conversation run inside the caller's
 * transaction, after the caller locked its row ({@link #lock}).
 */
@ApplicationScoped
public class ConversationRepository {

    /** One advisory lock orders every change of queue membership or assignment (see README). */
    static final long LIFECYCLE_LOCK = 0x5E5510_0001L;

    private static final String SELECT = """
            SELECT c.id, c.queue, c.customer_id, c.customer_display_name, c.customer_guest, c.agent_id,
                   a.display_name AS agent_display_name, c.state, c.last_seq, c.client_ref, c.subject,
                   c.queued_at, c.created_at, c.last_activity_at,
                   ARRAY(SELECT s.user_id FROM conversation_supervisors s
                          WHERE s.conversation_id = c.id ORDER BY s.subscribed_at, s.user_id) AS supervisors
              FROM conversations c LEFT JOIN agents a ON a.user_id = c.agent_id
            """;

    private static final String SUMMARY = """
            SELECT c.id, c.queue, c.state, c.subject, c.client_ref, c.customer_id, c.customer_display_name,
                   c.customer_guest, c.agent_id, a.display_name AS agent_display_name, c.created_at, c.assigned_at,
                   c.closed_at, c.last_seq
              FROM conversations c LEFT JOIN agents a ON a.user_id = c.agent_id
            """;

    /** An open assigned conversation of a queue, as the supervisor's queue view shows it. */
    public record Assigned(UUID id, String clientRef, String subject, String customerDisplayName, boolean guest,
            String agentId, String agentDisplayName, Instant queuedAt, Instant assignedAt, Instant createdAt) {}

    public record Waiting(UUID id, String clientRef, String subject, String customerDisplayName, boolean guest,
            Instant queuedAt) {}

    /**
     * Takes the lifecycle lock for the rest of the transaction. Lock order everywhere:
     * conversation rows, then this lock, then agent rows; so no two transactions deadlock.
     */
    public Uni<Void> lockLifecycle(SqlConnection c) {
        return c.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LIFECYCLE_LOCK)).replaceWithVoid();
    }

    public Uni<Conversation> find(SqlClient c, UUID id) {
        return c.preparedQuery(SELECT + " WHERE c.id = $1").execute(Tuple.of(id)).map(ConversationRepository::first);
    }

    public Uni<Conversation> lock(SqlConnection c, UUID id) {
        return c.preparedQuery(SELECT + " WHERE c.id = $1 FOR UPDATE OF c").execute(Tuple.of(id))
                .map(ConversationRepository::first);
    }

    /** Inserts a new waiting conversation; false when the id exists already. */
    public Uni<Boolean> insertQueued(SqlConnection c, UUID id, String queue, String customerId, String displayName,
            boolean guest, String clientRef, String subject, Instant now) {
        return c.preparedQuery("""
                        INSERT INTO conversations (id, queue, customer_id, customer_display_name, customer_guest, state,
                               client_ref, subject, queued_at, created_at, updated_at, last_activity_at)
                        VALUES ($1, $2, $3, $4, $5, 'QUEUED', $6, $7, $8, $8, $8, $8)
                        ON CONFLICT (id) DO NOTHING""")
                .execute(Tuple.from(Arrays.asList(id, queue, customerId, displayName, guest, clientRef, subject, sql(now))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The conversations waiting in a queue; read under the lifecycle lock it is exact. */
    public Uni<QueueSnapshot> queue(SqlClient c, String queue) {
        return c.preparedQuery("SELECT id, customer_id, client_ref, COALESCE(queued_at, created_at) AS queued_at "
                        + "FROM conversations WHERE state = 'QUEUED' AND queue = $1 ORDER BY queued_at, id")
                .execute(Tuple.of(queue))
                .map(rows -> {
                    List<QueueSnapshot.Entry> entries = new ArrayList<>();
                    rows.forEach(r -> entries.add(new QueueSnapshot.Entry(r.getUUID("id"), r.getString("customer_id"),
                            r.getString("client_ref"), Instants.of(r.getOffsetDateTime("queued_at")))));
                    return new QueueSnapshot(queue, entries);
                });
    }

    public Uni<Void> assign(SqlConnection c, UUID id, String agentId, Instant now) {
        return c.preparedQuery("UPDATE conversations SET state = 'ASSIGNED', agent_id = $2, assigned_at = $3, "
                        + "last_activity_at = $3, updated_at = $3 WHERE id = $1")
                .execute(Tuple.of(id, agentId, sql(now))).replaceWithVoid();
    }

    /**
     * Back to waiting, in {@code queue}. A null {@code queuedAt} keeps the earlier one, so a
     * customer whose agent went offline keeps their place in the line.
     */
    public Uni<Void> requeue(SqlConnection c, UUID id, String queue, Instant queuedAt, Instant now) {
        return c.preparedQuery("UPDATE conversations SET state = 'QUEUED', agent_id = NULL, assigned_at = NULL, "
                        + "queue = $2, queued_at = COALESCE($3, queued_at, created_at), last_activity_at = $4, "
                        + "updated_at = $4 WHERE id = $1")
                .execute(Tuple.of(id, queue, sql(queuedAt), sql(now))).replaceWithVoid();
    }

    public Uni<Void> close(SqlConnection c, UUID id, Instant now) {
        return c.preparedQuery("UPDATE conversations SET state = 'CLOSED', closed_at = $2, updated_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, sql(now))).replaceWithVoid();
    }

    /** Adds a supervisor; true when they were not subscribed before. */
    public Uni<Boolean> addSupervisor(SqlConnection c, UUID id, String userId) {
        return c.preparedQuery("INSERT INTO conversation_supervisors (conversation_id, user_id) VALUES ($1, $2) "
                        + "ON CONFLICT DO NOTHING")
                .execute(Tuple.of(id, userId)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * The longest-waiting conversation of the given queues that no other transaction holds and
     * whose earlier outputs are all published (so its {@code assigned} frame cannot overtake
     * its {@code queued} one).
     */
    public Uni<Conversation> lockOldestWaiting(SqlConnection c, List<String> queues) {
        return c.preparedQuery(SELECT + """
                         WHERE c.state = 'QUEUED' AND c.queue = ANY($1)
                           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.conversation_id = c.id AND o.published_at IS NULL)
                         ORDER BY c.queued_at, c.id LIMIT 1 FOR UPDATE OF c SKIP LOCKED""")
                .execute(Tuple.of(queues.toArray(String[]::new)))
                .map(ConversationRepository::first);
    }

    /** Open conversations idle since before {@code cutoff} that no other transaction holds. */
    public Uni<List<Conversation>> lockIdle(SqlConnection c, Instant cutoff, int limit) {
        return c.preparedQuery(SELECT + """
                         WHERE c.state <> 'CLOSED' AND c.last_activity_at < $1
                           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.conversation_id = c.id AND o.published_at IS NULL)
                         ORDER BY c.last_activity_at LIMIT $2 FOR UPDATE OF c SKIP LOCKED""")
                .execute(Tuple.of(sql(cutoff), limit))
                .map(ConversationRepository::all);
    }

    public Uni<List<Conversation>> lockAssignedTo(SqlConnection c, String agentId) {
        return c.preparedQuery(SELECT + " WHERE c.agent_id = $1 AND c.state = 'ASSIGNED' ORDER BY c.id FOR UPDATE OF c")
                .execute(Tuple.of(agentId)).map(ConversationRepository::all);
    }

    public Uni<List<Waiting>> waiting(SqlClient c, String queue, int limit) {
        return c.preparedQuery("SELECT id, client_ref, subject, customer_display_name, customer_guest, "
                        + "COALESCE(queued_at, created_at) AS queued_at FROM conversations "
                        + "WHERE state = 'QUEUED' AND queue = $1 ORDER BY queued_at, id LIMIT $2")
                .execute(Tuple.of(queue, limit))
                .map(rows -> {
                    List<Waiting> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Waiting(r.getUUID("id"), r.getString("client_ref"), r.getString("subject"),
                            r.getString("customer_display_name"), r.getBoolean("customer_guest"),
                            Instants.of(r.getOffsetDateTime("queued_at")))));
                    return out;
                });
    }

    public Uni<ConversationSummary> summary(SqlClient c, UUID id) {
        return c.preparedQuery(SUMMARY + " WHERE c.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : summary(rows.iterator().next()));
    }

    /** A customer's conversations, newest first. */
    public Uni<List<ConversationSummary>> summariesOfCustomer(SqlClient c, String customerId, int limit) {
        return c.preparedQuery(SUMMARY + " WHERE c.customer_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT $2")
                .execute(Tuple.of(customerId, limit)).map(ConversationRepository::summaries);
    }

    /**
     * The open conversations a user takes part in as staff: assigned to them, and (with
     * {@code subscribed}) those they subscribed to as a supervisor; oldest first.
     */
    public Uni<List<ConversationSummary>> openOfStaff(SqlClient c, String userId, boolean subscribed, int limit) {
        return c.preparedQuery(SUMMARY + """
                         WHERE (c.state = 'ASSIGNED' AND c.agent_id = $1)
                            OR ($2 AND c.state <> 'CLOSED' AND EXISTS (SELECT 1 FROM conversation_supervisors s
                                       WHERE s.conversation_id = c.id AND s.user_id = $1))
                         ORDER BY c.created_at, c.id LIMIT $3""")
                .execute(Tuple.of(userId, subscribed, limit)).map(ConversationRepository::summaries);
    }

    /** Whether the agent is now assigned an open conversation with this customer. */
    public Uni<Boolean> servesCustomer(SqlClient c, String agentId, String customerId) {
        return c.preparedQuery("SELECT EXISTS (SELECT 1 FROM conversations WHERE state = 'ASSIGNED' "
                        + "AND agent_id = $1 AND customer_id = $2) AS serves")
                .execute(Tuple.of(agentId, customerId))
                .map(rows -> rows.iterator().next().getBoolean("serves"));
    }

    /** The open assigned conversations of a queue, longest assigned first. */
    public Uni<List<Assigned>> assigned(SqlClient c, String queue, int limit) {
        return c.preparedQuery("""
                        SELECT c.id, c.client_ref, c.subject, c.customer_display_name, c.customer_guest, c.agent_id,
                               a.display_name AS agent_display_name, COALESCE(c.queued_at, c.created_at) AS queued_at,
                               c.assigned_at, c.created_at
                          FROM conversations c LEFT JOIN agents a ON a.user_id = c.agent_id
                         WHERE c.state = 'ASSIGNED' AND c.queue = $1 ORDER BY c.assigned_at, c.id LIMIT $2""")
                .execute(Tuple.of(queue, limit))
                .map(rows -> {
                    List<Assigned> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Assigned(r.getUUID("id"), r.getString("client_ref"),
                            r.getString("subject"), r.getString("customer_display_name"),
                            Boolean.TRUE.equals(r.getBoolean("customer_guest")), r.getString("agent_id"),
                            r.getString("agent_display_name"), Instants.of(r.getOffsetDateTime("queued_at")),
                            Instants.of(r.getOffsetDateTime("assigned_at")),
                            Instants.of(r.getOffsetDateTime("created_at")))));
                    return out;
                });
    }

    /** Open conversations by state (the partial indexes keep this cheap). */
    public Uni<Map<ConversationState, Long>> countOpen(SqlClient c) {
        return c.query("SELECT 'QUEUED' AS state, count(*) AS n FROM conversations WHERE state = 'QUEUED' "
                        + "UNION ALL SELECT 'ASSIGNED', count(*) FROM conversations WHERE state = 'ASSIGNED'")
                .execute()
                .map(rows -> {
                    Map<ConversationState, Long> out = new HashMap<>();
                    rows.forEach(r -> out.put(ConversationState.valueOf(r.getString("state")), r.getLong("n")));
                    return out;
                });
    }

    private static Conversation first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : map(rows.iterator().next());
    }

    private static List<Conversation> all(RowSet<Row> rows) {
        List<Conversation> out = new ArrayList<>();
        rows.forEach(r -> out.add(map(r)));
        return out;
    }

    private static List<ConversationSummary> summaries(RowSet<Row> rows) {
        List<ConversationSummary> out = new ArrayList<>();
        rows.forEach(r -> out.add(summary(r)));
        return out;
    }

    private static ConversationSummary summary(Row r) {
        String agentId = r.getString("agent_id");
        return new ConversationSummary(r.getUUID("id"), r.getString("queue"), ConversationState.valueOf(r.getString("state")),
                r.getString("subject"), r.getString("client_ref"),
                new ConversationSummary.Customer(r.getString("customer_id"), r.getString("customer_display_name"),
                        Boolean.TRUE.equals(r.getBoolean("customer_guest"))),
                agentId == null ? null : new Frames.AgentRef(agentId, r.getString("agent_display_name")),
                Instants.of(r.getOffsetDateTime("created_at")), Instants.of(r.getOffsetDateTime("assigned_at")),
                Instants.of(r.getOffsetDateTime("closed_at")), r.getLong("last_seq"));
    }

    private static Conversation map(Row r) {
        String[] supervisors = r.getArrayOfStrings("supervisors");
        return new Conversation(r.getUUID("id"), r.getString("queue"), r.getString("customer_id"),
                r.getString("customer_display_name"), Boolean.TRUE.equals(r.getBoolean("customer_guest")),
                r.getString("agent_id"), r.getString("agent_display_name"),
                ConversationState.valueOf(r.getString("state")), r.getLong("last_seq"), r.getString("client_ref"),
                r.getString("subject"), Instants.of(r.getOffsetDateTime("queued_at")),
                Instants.of(r.getOffsetDateTime("created_at")), Instants.of(r.getOffsetDateTime("last_activity_at")),
                supervisors == null ? List.of() : Arrays.asList(supervisors));
    }
}
