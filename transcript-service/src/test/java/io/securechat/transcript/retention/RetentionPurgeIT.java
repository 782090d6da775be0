package io.securechat.transcript.retention;

import static io.restassured.RestAssured.given;
import static io.securechat.transcript.testing.ChatRecords.conversation;
import static io.securechat.transcript.testing.ChatRecords.message;
import static io.securechat.transcript.testing.ChatRecords.sendConversation;
import static io.securechat.transcript.testing.ChatRecords.sendMessage;
import static io.securechat.transcript.testing.ChatRecords.sub;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import io.securechat.transcript.testing.ChatRecords;
import io.securechat.transcript.testing.Db;
import io.securechat.transcript.testing.TranscriptTestStack;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Policy changes and the on-demand purge: expired conversations go, held ones stay, purged ones stay purged. */
@QuarkusTest
@QuarkusTestResource(TranscriptTestStack.class)
public class RetentionPurgeIT {

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @BeforeEach
    void schemaMigrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    static io.restassured.specification.RequestSpecification as(String user) {
        return given().header("Authorization", "Bearer " + Keycloak.token(user));
    }

    /** Waits until the service's consumer group committed past this record (it was processed). */
    public static void awaitConsumed(RecordMetadata record) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTap.BOOTSTRAP);
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(p)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(TranscriptTestStack.GROUP)
                        .partitionsToOffsetAndMetadata().get();
                OffsetAndMetadata o = offsets.get(tp);
                return o != null && o.offset() > record.offset();
            });
        }
    }

    /** A conversation in {@code queue}, started 10 days ago and closed 9 days ago, with one message. */
    ObjectNode closedLongAgo(UUID id, String queue, String customer) {
        Instant t = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        for (String type : List.of("started", "closed")) {
            ObjectNode e = conversation(type, id, customer, "closed".equals(type) ? sub("agent1") : null);
            e.put("queue", queue);
            e.put("occurredAt", ("started".equals(type) ? t : t.plus(1, ChronoUnit.DAYS)).toString());
            sendConversation(e);
        }
        ObjectNode m = message(id, 1, UUID.randomUUID(), customer, "customer", "Ada", "old words");
        sendMessage(m);
        Db.awaitMessages(pool, id, 1);
        Db.awaitConversation(pool, id, "CLOSED");
        return m;
    }

    @Test
    void policiesAreChangedByComplianceOrAdminsAndAudited() {
        String queue = "it-" + UUID.randomUUID().toString().substring(0, 8);
        as("agent1").contentType("application/json").body(Map.of("policy", "P30D"))
                .put("/api/v1/retention/policies/" + queue).then().statusCode(403);
        as("compliance1").contentType("application/json").body(Map.of("policy", "P0D"))
                .put("/api/v1/retention/policies/" + queue).then().statusCode(400).body("code", equalTo("bad_request"));
        as("compliance1").contentType("application/json").body(Map.of("policy", "forever"))
                .put("/api/v1/retention/policies/" + queue).then().statusCode(400);
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            as("compliance1").contentType("application/json").body(Map.of("policy", "P30D"))
                    .put("/api/v1/retention/policies/" + queue).then().statusCode(200)
                    .body("queue", equalTo(queue)).body("policy", equalTo("P30D"));
            as("admin1").contentType("application/json").body(Map.of("policy", "INDEFINITE"))
                    .put("/api/v1/retention/policies/" + queue).then().statusCode(200);
            var changed = audit.await(r -> "retention.policy.changed".equals(r.value().path("action").asText())
                    && queue.equals(r.value().path("resource").path("id").asText())
                    && "INDEFINITE".equals(r.value().path("details").path("policy").asText()), Duration.ofSeconds(20));
            assertEquals("P30D", changed.value().path("details").path("previous").asText());
        }
        as("compliance1").get("/api/v1/retention/policies").then().statusCode(200)
                .body("find { it.queue == '" + queue + "' }.policy", equalTo("INDEFINITE"));
    }

    @Test
    void expiredConversationsArePurgedUnlessHeldAndStayPurged() throws Exception {
        String queue = "it-" + UUID.randomUUID().toString().substring(0, 8);
        as("admin1").contentType("application/json").body(Map.of("policy", "P1D"))
                .put("/api/v1/retention/policies/" + queue).then().statusCode(200);
        UUID expired = ChatRecords.id();
        UUID heldByConversation = ChatRecords.id();
        UUID heldBySubject = ChatRecords.id();
        String heldCustomer = "it-customer-" + UUID.randomUUID();
        ObjectNode old = closedLongAgo(expired, queue, sub("customer1"));
        // More expired ones than a purge batch holds (the tests run with purge-batch 2): all go, batch after batch.
        List<UUID> moreExpired = List.of(ChatRecords.id(), ChatRecords.id(), ChatRecords.id(), ChatRecords.id());
        for (UUID id : moreExpired) {
            closedLongAgo(id, queue, sub("customer2"));
        }
        closedLongAgo(heldByConversation, queue, sub("customer1"));
        closedLongAgo(heldBySubject, queue, heldCustomer);
        // A conversation of the same queue closed just now is not past P1D.
        UUID recent = ChatRecords.id();
        ObjectNode started = conversation("started", recent, sub("customer1"), null);
        started.put("queue", queue);
        sendConversation(started);
        ObjectNode closed = conversation("closed", recent, sub("customer1"), null);
        closed.put("queue", queue);
        sendConversation(closed);
        Db.awaitConversation(pool, recent, "CLOSED");

        for (Map<String, String> hold : List.of(Map.of("conversationId", heldByConversation.toString(), "reason", "case A"),
                Map.of("subjectId", heldCustomer, "reason", "case B"))) {
            as("compliance1").contentType("application/json").body(hold).post("/api/v1/privacy/holds").then().statusCode(201);
        }
        as("compliance1").post("/api/v1/admin/retention/purge").then().statusCode(403);
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            as("admin1").post("/api/v1/admin/retention/purge").then().statusCode(200)
                    .body("conversations", greaterThanOrEqualTo(5)).body("messages", greaterThanOrEqualTo(5))
                    .body("held", greaterThanOrEqualTo(2)).body("skipped", equalTo(false));
            var purge = audit.await(r -> "retention.purge".equals(r.value().path("action").asText()), Duration.ofSeconds(20));
            assertEquals(sub("admin1"), purge.value().path("actor").path("userId").asText());
        }
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM messages WHERE conversation_id = $1", expired));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM conversations WHERE id = $1", expired));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM conversation_keys WHERE conversation_id = $1", expired));
        assertEquals(1, Db.count(pool, "SELECT count(*) FROM conversation_tombstones WHERE conversation_id = $1 AND reason = 'retention'",
                expired));
        for (UUID gone : moreExpired) {
            assertEquals(0, Db.count(pool, "SELECT count(*) FROM conversations WHERE id = $1", gone), gone.toString());
            assertEquals(0, Db.count(pool, "SELECT count(*) FROM messages WHERE conversation_id = $1", gone), gone.toString());
            assertEquals(1, Db.count(pool, "SELECT count(*) FROM conversation_tombstones WHERE conversation_id = $1", gone));
        }
        for (UUID kept : List.of(heldByConversation, heldBySubject, recent)) {
            assertEquals(1, Db.count(pool, "SELECT count(*) FROM conversations WHERE id = $1", kept), kept.toString());
        }
        assertEquals(1, Db.count(pool, "SELECT count(*) FROM messages WHERE conversation_id = $1", heldBySubject));
        as("customer1").get("/api/v1/conversations/" + expired + "/messages").then().statusCode(404);

        // The old message redelivered: processed (committed past it) and not stored again.
        RecordMetadata again = ChatRecords.sendWithOffset("chat.messages.v1", expired.toString(), old.toString());
        awaitConsumed(again);
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM messages WHERE conversation_id = $1", expired));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM conversation_keys WHERE conversation_id = $1", expired));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM conversations WHERE id = $1", expired));
    }
}
