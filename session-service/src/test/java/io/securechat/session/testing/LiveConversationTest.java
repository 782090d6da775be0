package io.securechat.session.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.datasource.RedisDataSource;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.session.conversation.service.IdleCloser;
import io.securechat.session.testing.TopicProbe.Rec;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the integration tests that drive session-service through Kafka against the real
 * stack: produces commands and moderated messages as the gateway and moderation-service
 * would, writes presence to Redis as a gateway would, and reads what the service produced.
 */
public abstract class LiveConversationTest {

    protected static ChatKafka kafka;
    protected static TopicProbe gw1;
    protected static TopicProbe gw2;
    protected static TopicProbe messages;
    protected static TopicProbe lifecycle;
    protected static TopicProbe audit;

    @Inject
    protected SchemaMigrator migrator;

    @Inject
    protected RedisDataSource redis;

    @Inject
    protected Pool pool;

    private final List<TestUser> onlineAgents = new ArrayList<>();

    @BeforeAll
    static void openProbes() {
        kafka = new ChatKafka();
        gw1 = new TopicProbe("chat.delivery.v1.gw-1");
        gw2 = new TopicProbe("chat.delivery.v1.gw-2");
        messages = new TopicProbe("chat.messages.v1");
        lifecycle = new TopicProbe("chat.conversations.v1");
        audit = new TopicProbe("audit.events.v1");
    }

    @AfterAll
    static void closeProbes() {
        for (AutoCloseable c : new AutoCloseable[] {gw1, gw2, messages, lifecycle, audit, kafka}) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort: the next class opens its own
            }
        }
    }

    @Inject
    protected IdleCloser idleCloser;

    /** Once per test run: what an interrupted earlier run left behind. */
    private static boolean cleanedUp;

    @BeforeEach
    void schemaMigrated() throws Exception {
        // On a fresh database the migration runs in the background at start-up.
        migrator.awaitMigrated(Duration.ofSeconds(60));
        if (!cleanedUp) {
            cleanUpInterruptedRuns();
            cleanedUp = true;
        }
    }

    /**
     * An interrupted run leaves conversations waiting in the test queues and test agents online;
     * they would take our agents' capacity. They are made idle and closed the normal way, and
     * the agents set offline. Only test queues and test agents are touched.
     */
    private void cleanUpInterruptedRuns() {
        update("UPDATE conversations SET last_activity_at = now() - interval '1 day' "
                + "WHERE queue IN ($1, $2) AND state <> 'CLOSED'", LiveConversationsProfile.AUTO_QUEUE,
                LiveConversationsProfile.MANUAL_QUEUE);
        idleCloser.closeIdle(Duration.ofHours(1)).await().atMost(Duration.ofSeconds(60));
        update("UPDATE agents SET status = 'offline' WHERE user_id LIKE 'it-agent-%' AND status <> 'offline'");
    }

    /** Agents set online by a test go offline after it, so they get no other test's conversations. */
    @AfterEach
    void agentsOffline() {
        onlineAgents.forEach(a -> kafka.agentStatus(a, "offline", null));
        onlineAgents.forEach(a -> awaitAgentStatus(a, "offline"));
        onlineAgents.clear();
    }

    /** Presence as a gateway writes it: {@code chat:presence:<userId>} nodeId -> sockets, expiring. */
    protected TestUser present(TestUser user, String... nodes) {
        String key = "chat:presence:" + user.userId();
        for (String node : nodes.length == 0 ? new String[] {user.node()} : nodes) {
            redis.hash(String.class).hset(key, node, "1");
        }
        redis.key().expire(key, 120);
        return user;
    }

    protected void gone(TestUser user) {
        redis.key().del("chat:presence:" + user.userId());
    }

    protected TestUser online(TestUser agent, int capacity) {
        present(agent);
        onlineAgents.add(agent);
        kafka.agentStatus(agent, "online", capacity);
        awaitAgentStatus(agent, "online");
        return agent;
    }

    protected void awaitAgentStatus(TestUser agent, String status) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> status.equals(agentRow(agent.userId(), "status")));
    }

    protected String agentRow(String userId, String column) {
        Row r = row("SELECT " + column + "::text AS v FROM agents WHERE user_id = $1", userId);
        return r == null ? null : r.getString("v");
    }

    protected String conversationColumn(UUID id, String column) {
        Row r = row("SELECT " + column + "::text AS v FROM conversations WHERE id = $1", id);
        return r == null ? null : r.getString("v");
    }

    protected Row row(String sql, Object... params) {
        var rows = pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    protected void update(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
    }

    // --- what the service produced ---------------------------------------------------------

    protected static JsonNode frame(Rec r) {
        return r.value().path("frame");
    }

    protected static List<String> recipients(Rec r) {
        List<String> out = new ArrayList<>();
        r.value().path("recipients").forEach(n -> out.add(n.asText()));
        return out;
    }

    protected static Predicate<Rec> frame(String type, UUID conversationId) {
        return r -> type.equals(frame(r).path("type").asText())
                && conversationId.toString().equals(frame(r).path("conversationId").asText());
    }

    protected static Predicate<Rec> to(TestUser user) {
        return r -> recipients(r).contains(user.userId());
    }

    protected static Predicate<Rec> toConnection(TestUser user) {
        return r -> user.connectionId().equals(r.value().path("connectionId").asText(null)) && to(user).test(r);
    }

    /** The first frame of a type about a conversation delivered to a user on their node. */
    protected static Rec awaitFrame(TestUser user, String type, UUID conversationId) {
        return probeOf(user).await(type + " to " + user.role(), frame(type, conversationId).and(to(user)));
    }

    protected static TopicProbe probeOf(TestUser user) {
        return "gw-2".equals(user.node()) ? gw2 : gw1;
    }

    protected static Predicate<Rec> event(String type, UUID conversationId) {
        return r -> type.equals(r.value().path("type").asText())
                && conversationId.toString().equals(r.value().path("conversationId").asText());
    }

    protected static Predicate<Rec> errorTo(TestUser user, String code, String ref) {
        return r -> "error".equals(frame(r).path("type").asText()) && code.equals(frame(r).path("code").asText())
                && ref.equals(frame(r).path("ref").asText()) && toConnection(user).test(r);
    }
}
