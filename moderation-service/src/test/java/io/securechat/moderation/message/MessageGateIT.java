package io.securechat.moderation.message;

import static io.restassured.RestAssured.given;
import static io.securechat.moderation.message.MessagePath.signedIn;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.moderation.ban.Restrictions;
import io.securechat.moderation.flood.FloodPolicy;
import io.securechat.moderation.verdict.VerdictMemory;
import io.securechat.platform.schema.SchemaMigrator;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gate end to end over the real broker: verdict records, idempotence per messageId, audit of blocks, metrics. */
@QuarkusTest
class MessageGateIT {

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    private MessagePath path;
    private final String conversation = UUID.randomUUID().toString();
    private final String connection = "gw-it:" + UUID.randomUUID();
    private final String user = "it-user-" + UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        // On a fresh database the migration runs in the background at start-up.
        migrator.awaitMigrated(Duration.ofSeconds(60));
        path = MessagePath.open();
    }

    @AfterEach
    void tearDown() {
        path.close();
    }

    private double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anOrdinaryMessageIsAllowedWithEveryInboundFieldCarriedOver() throws Exception {
        Map<String, Object> message = signedIn(conversation, connection, user);
        message.put("attachmentIds", List.of("att-" + UUID.randomUUID()));
        double allowed = count(MessageGate.VERDICTS, "verdict", "ALLOW", "reason", "none");
        path.send(message);

        MessagePath.Out out = path.moderated(conversation, 1).getFirst();
        assertEquals(conversation, out.key(), "keyed by conversationId");
        JsonNode json = out.json();
        assertEquals("ALLOW", json.get("verdict").asText());
        assertEquals(List.of(), MessagePath.texts(json.get("reasons")));
        assertEquals(0, json.get("redactions").size());
        JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(message);
        for (String field : List.of("v", "messageId", "clientMsgId", "conversationId", "sender", "text",
                "attachmentIds", "gatewayNode", "connectionId", "receivedAt")) {
            assertEquals(sent.get(field), json.get(field), field);
        }
        Instant moderatedAt = Instant.parse(json.get("moderatedAt").asText());
        assertFalse(moderatedAt.isBefore(Instant.parse((String) message.get("receivedAt"))));

        assertTrue(count(MessageGate.VERDICTS, "verdict", "ALLOW", "reason", "none") >= allowed + 1);
        for (String policy : List.of("bans", "flood")) {
            var timer = registry.find("chat.moderation.policy.evaluation").tags("policy", policy, "result", "ALLOW").timer();
            assertNotNull(timer, policy);
            assertTrue(timer.count() > 0, policy);
        }
        // The names operators query, as Prometheus sees them.
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("chat_moderation_verdicts_total{reason=\"none\",verdict=\"ALLOW\"}"))
                .body(containsString("chat_moderation_policy_evaluation_seconds_count{policy=\"flood\",result=\"ALLOW\"}"))
                .body(containsString("chat_moderation_flood_fail_open_total"));
    }

    @Test
    void aRedeliveredMessageGetsTheSameVerdictAndTakesNoTokenAgain() {
        Map<String, Object> message = signedIn(conversation, connection, user);
        String messageId = (String) message.get("messageId");
        path.send(message);
        MessagePath.Out first = path.moderated(conversation, 1).getFirst();
        assertNotNull(redis.value(String.class).get(VerdictMemory.key(messageId)), "verdict remembered");
        var buckets = redis.hash(String.class);
        Map<String, String> connectionBucket = buckets.hgetall(FloodPolicy.connectionBucket(connection));
        Map<String, String> userBucket = buckets.hgetall(FloodPolicy.userBucket(user));
        // A fresh bucket is full; the first copy took exactly one token from each.
        assertEquals(9.0, Double.parseDouble(connectionBucket.get("tokens")));
        assertEquals(19.0, Double.parseDouble(userBucket.get("tokens")));
        double recalled = count(MessageGate.RECALLED);

        path.send(message);
        MessagePath.Out second = path.moderated(conversation, 2).get(1);

        assertEquals(first.value(), second.value(), "the same record, moderatedAt included");
        assertEquals(first.key(), second.key());
        // The script rewrites a bucket whenever it runs: untouched buckets mean no token was taken.
        assertEquals(connectionBucket, buckets.hgetall(FloodPolicy.connectionBucket(connection)));
        assertEquals(userBucket, buckets.hgetall(FloodPolicy.userBucket(user)));
        assertTrue(count(MessageGate.RECALLED) >= recalled + 1);
    }

    @Test
    void aBlockIsAuditedWithItsReasonCodeAndNeverTheText() {
        String secret = "my card is 4111 1111 1111 1111 " + UUID.randomUUID();
        Map<String, Object> message = signedIn(conversation, connection, user);
        message.put("text", secret);
        String messageId = (String) message.get("messageId");
        double blocked = count(MessageGate.VERDICTS, "verdict", "BLOCK", "reason", "banned");
        try (Restrictions restrictions = new Restrictions(pool)) {
            restrictions.ban("USER", user);
            path.send(message);

            MessagePath.Out moderated = path.moderated(conversation, 1).getFirst();
            assertEquals("BLOCK", moderated.json().get("verdict").asText());
            assertEquals(List.of("banned"), MessagePath.texts(moderated.json().get("reasons")));
            assertFalse(moderated.value().contains(secret), "a blocked text travels nowhere");

            MessagePath.Out audit = path.audit(messageId);
            assertEquals("message:" + messageId, audit.key());
            JsonNode event = audit.json();
            assertEquals(1, event.get("v").asInt());
            assertEquals("message.rejected", event.get("action").asText());
            assertEquals("message", event.get("resource").get("type").asText());
            assertEquals("DENIED", event.get("outcome").asText());
            assertEquals(List.of("banned"), MessagePath.texts(event.get("details").get("reasons")));
            assertEquals(conversation, event.get("details").get("conversationId").asText());
            assertEquals(user, event.get("actor").get("userId").asText());
            assertEquals("moderation-service", event.get("service").asText());
            UUID.fromString(event.get("eventId").asText());
            assertFalse(audit.value().contains("4111"), audit.value());
            assertFalse(audit.value().contains(secret), audit.value());
        }
        assertTrue(count(MessageGate.VERDICTS, "verdict", "BLOCK", "reason", "banned") >= blocked + 1);
    }
}
