package io.securechat.session.agent.repository;

import static io.securechat.session.Instants.sql;

import io.securechat.session.Instants;
import io.securechat.session.agent.model.Agent;
import io.securechat.session.agent.model.AgentLoad;
import io.securechat.session.agent.model.AgentStatus;
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
import java.util.List;

/** The {@code agents} table: status, capacity, and when each agent was last idle or absent. */
@ApplicationScoped
public class AgentRepository {

    private static final String SELECT =
            "SELECT user_id, display_name, status, capacity, idle_since, absent_since FROM agents";

    public Uni<Agent> find(SqlClient c, String userId) {
        return c.preparedQuery(SELECT + " WHERE user_id = $1").execute(Tuple.of(userId)).map(AgentRepository::first);
    }

    public Uni<Agent> lock(SqlConnection c, String userId) {
        return c.preparedQuery(SELECT + " WHERE user_id = $1 FOR UPDATE").execute(Tuple.of(userId))
                .map(AgentRepository::first);
    }

    /**
     * Sets an agent's status (and capacity, when given). Coming online restarts their idle
     * time; any status command shows they are connected, so the absence mark is cleared.
     */
    public Uni<Void> upsertStatus(SqlConnection c, String userId, String displayName, AgentStatus status,
            Integer capacity, int defaultCapacity, Instant now) {
        return c.preparedQuery("""
                        INSERT INTO agents (user_id, display_name, status, capacity, idle_since, absent_since, updated_at)
                        VALUES ($1, $2, $3, COALESCE($4::integer, $5::integer), $6, NULL, $6)
                        ON CONFLICT (user_id) DO UPDATE SET
                            display_name = COALESCE(EXCLUDED.display_name, agents.display_name),
                            status = EXCLUDED.status,
                            capacity = COALESCE($4::integer, agents.capacity),
                            idle_since = CASE WHEN agents.status = 'online' THEN agents.idle_since ELSE EXCLUDED.idle_since END,
                            absent_since = NULL,
                            updated_at = EXCLUDED.updated_at""")
                .execute(Tuple.from(Arrays.asList(userId, displayName, status.wire(), capacity, defaultCapacity, sql(now))))
                .replaceWithVoid();
    }

    /** Makes sure an agent who accepts without ever sending a status is known (offline, default capacity). */
    public Uni<Void> ensure(SqlConnection c, String userId, String displayName, int defaultCapacity, Instant now) {
        return c.preparedQuery("""
                        INSERT INTO agents (user_id, display_name, status, capacity, idle_since, updated_at)
                        VALUES ($1, $2, 'offline', $3, $4, $4)
                        ON CONFLICT (user_id) DO UPDATE SET display_name = COALESCE(EXCLUDED.display_name, agents.display_name)""")
                .execute(Tuple.from(Arrays.asList(userId, displayName, defaultCapacity, sql(now))))
                .replaceWithVoid();
    }

    public Uni<Void> setOffline(SqlConnection c, String userId, Instant now) {
        return c.preparedQuery("UPDATE agents SET status = 'offline', absent_since = NULL, updated_at = $2 WHERE user_id = $1")
                .execute(Tuple.of(userId, sql(now))).replaceWithVoid();
    }

    /** An assignment restarts the agent's idle time (the tie-breaker between equally busy agents). */
    public Uni<Void> touchAssigned(SqlConnection c, String userId, Instant now) {
        return c.preparedQuery("UPDATE agents SET idle_since = $2, updated_at = $2 WHERE user_id = $1")
                .execute(Tuple.of(userId, sql(now))).replaceWithVoid();
    }

    /** Online agents with a socket (not marked absent), with their current number of conversations. */
    public Uni<List<AgentLoad>> onlineLoads(SqlConnection c) {
        return c.query("""
                        SELECT a.user_id, a.display_name, a.capacity, a.idle_since,
                               (SELECT count(*) FROM conversations c
                                 WHERE c.agent_id = a.user_id AND c.state = 'ASSIGNED') AS active
                          FROM agents a WHERE a.status = 'online' AND a.absent_since IS NULL""")
                .execute()
                .map(rows -> {
                    List<AgentLoad> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new AgentLoad(r.getString("user_id"), r.getString("display_name"),
                            r.getInteger("capacity"), r.getLong("active").intValue(),
                            Instants.of(r.getOffsetDateTime("idle_since")))));
                    return out;
                });
    }

    /** Locks the agent if still online and connected; false when they changed meanwhile. */
    public Uni<Boolean> lockAvailable(SqlConnection c, String userId) {
        return c.preparedQuery("SELECT 1 FROM agents WHERE user_id = $1 AND status = 'online' AND absent_since IS NULL FOR UPDATE")
                .execute(Tuple.of(userId)).map(rows -> rows.size() == 1);
    }

    /** Agents who are not offline: those whose presence the watcher checks. */
    public Uni<List<Agent>> notOffline(SqlClient c) {
        return c.query(SELECT + " WHERE status <> 'offline'").execute().map(AgentRepository::all);
    }

    /** Starts the grace period of an agent with no socket left (kept if already running). */
    public Uni<Void> markAbsent(SqlClient c, String userId, Instant now) {
        return c.preparedQuery("UPDATE agents SET absent_since = COALESCE(absent_since, $2) "
                        + "WHERE user_id = $1 AND status <> 'offline'")
                .execute(Tuple.of(userId, sql(now))).replaceWithVoid();
    }

    public Uni<Void> clearAbsent(SqlClient c, String userId) {
        return c.preparedQuery("UPDATE agents SET absent_since = NULL WHERE user_id = $1 AND absent_since IS NOT NULL")
                .execute(Tuple.of(userId)).replaceWithVoid();
    }

    /** An agent as the console's "transfer to an agent" list shows them. */
    public record Listed(String userId, String displayName, String status, int capacity, int active) {}

    /**
     * Agents with their number of open assigned conversations, by display name; offline agents
     * only with {@code includeOffline} (every agent ever seen stays in the table).
     */
    public Uni<List<Listed>> list(SqlClient c, boolean includeOffline, int limit) {
        return c.preparedQuery("""
                        SELECT a.user_id, a.display_name, a.status, a.capacity,
                               (SELECT count(*) FROM conversations c
                                 WHERE c.agent_id = a.user_id AND c.state = 'ASSIGNED') AS active
                          FROM agents a WHERE $1 OR a.status <> 'offline'
                         ORDER BY lower(COALESCE(a.display_name, a.user_id)), a.user_id LIMIT $2""")
                .execute(Tuple.of(includeOffline, limit))
                .map(rows -> {
                    List<Listed> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Listed(r.getString("user_id"), r.getString("display_name"),
                            r.getString("status"), r.getInteger("capacity"), r.getLong("active").intValue())));
                    return out;
                });
    }

    private static Agent first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : map(rows.iterator().next());
    }

    private static List<Agent> all(RowSet<Row> rows) {
        List<Agent> out = new ArrayList<>();
        rows.forEach(r -> out.add(map(r)));
        return out;
    }

    private static Agent map(Row r) {
        return new Agent(r.getString("user_id"), r.getString("display_name"),
                AgentStatus.valueOf(r.getString("status").toUpperCase(java.util.Locale.ROOT)), r.getInteger("capacity"),
                Instants.of(r.getOffsetDateTime("idle_since")), Instants.of(r.getOffsetDateTime("absent_since")));
    }
}
