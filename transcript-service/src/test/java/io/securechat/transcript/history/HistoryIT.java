package io.securechat.transcript.history;

import static io.restassured.RestAssured.given;
import static io.securechat.transcript.testing.ChatRecords.conversation;
import static io.securechat.transcript.testing.ChatRecords.message;
import static io.securechat.transcript.testing.ChatRecords.sendConversation;
import static io.securechat.transcript.testing.ChatRecords.sendMessage;
import static io.securechat.transcript.testing.ChatRecords.sub;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import io.securechat.transcript.testing.ChatRecords;
import io.securechat.transcript.testing.Db;
import io.securechat.transcript.testing.TranscriptTestStack;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messages produced to chat.messages.v1 read back through the history API, with its authorization. */
@QuarkusTest
@QuarkusTestResource(TranscriptTestStack.class)
class HistoryIT {

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @BeforeEach
    void schemaMigrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    static Response get(String user, String path) {
        return given().header("Authorization", "Bearer " + Keycloak.token(user)).get(path);
    }

    /** A conversation of customer1 with {@code n} messages, alternating customer and agent1. */
    List<ObjectNode> conversationOfCustomer1(UUID id, int n) {
        sendConversation(conversation("started", id, sub("customer1"), null));
        sendConversation(conversation("assigned", id, sub("customer1"), sub("agent1")));
        List<ObjectNode> sent = new ArrayList<>();
        for (int seq = 1; seq <= n; seq++) {
            ObjectNode m = seq % 2 == 1
                    ? message(id, seq, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "question " + seq)
                    : message(id, seq, UUID.randomUUID(), sub("agent1"), "agent", "Agent One", "answer " + seq);
            sendMessage(m);
            sent.add(m);
        }
        Db.awaitMessages(pool, id, n);
        Db.awaitConversation(pool, id, "ASSIGNED");
        return sent;
    }

    @Test
    void theCustomerReadsTheirMessagesInOrderPageByPage() {
        UUID id = ChatRecords.id();
        List<ObjectNode> sent = conversationOfCustomer1(id, 5);
        String path = "/api/v1/conversations/" + id + "/messages";
        get("customer1", path + "?limit=2").then().statusCode(200)
                .body("conversationId", equalTo(id.toString()))
                .body("messages.seq", contains(1, 2))
                .body("hasMore", equalTo(true)).body("nextAfterSeq", equalTo(2));
        get("customer1", path + "?afterSeq=2&limit=2").then().statusCode(200)
                .body("messages.seq", contains(3, 4)).body("hasMore", equalTo(true)).body("nextAfterSeq", equalTo(4));
        get("customer1", path + "?afterSeq=4&limit=2").then().statusCode(200)
                .body("messages.seq", contains(5)).body("hasMore", equalTo(false)).body("nextAfterSeq", equalTo(5));
        get("customer1", path + "?afterSeq=5").then().statusCode(200)
                .body("messages", hasSize(0)).body("hasMore", equalTo(false)).body("nextAfterSeq", equalTo(5));
        // Exactly the WebSocket message frame.
        ObjectNode second = sent.get(1);
        get("customer1", path).then().statusCode(200)
                .body("messages[1].type", equalTo("message"))
                .body("messages[1].conversationId", equalTo(id.toString()))
                .body("messages[1].messageId", equalTo(second.get("messageId").asText()))
                .body("messages[1].sender.userId", equalTo(sub("agent1")))
                .body("messages[1].sender.role", equalTo("agent"))
                .body("messages[1].sender.displayName", equalTo("Agent One"))
                .body("messages[1].sender.verifiedAgent", equalTo(true))
                .body("messages[1].text", equalTo("answer 2"))
                .body("messages[1].redactions", hasSize(0))
                .body("messages[1].attachments", hasSize(0))
                .body("messages[1].sentAt", equalTo(second.get("sentAt").asText()))
                .body("messages[1].integrityError", nullValue());
    }

    @Test
    void theGatewayReadsForASocketsUserWithTheServiceIdentityOnly() {
        UUID id = ChatRecords.id();
        conversationOfCustomer1(id, 3);
        String path = "/internal/v1/conversations/" + id + "/messages?afterSeq=1&userId=";
        String service = Keycloak.serviceToken();
        // For the conversation's customer: what they may read.
        given().header("Authorization", "Bearer " + service).get(path + sub("customer1") + "&roles=customer")
                .then().statusCode(200).body("messages.seq", contains(2, 3));
        // For another customer: 404, as for them through the public API.
        given().header("Authorization", "Bearer " + service).get(path + sub("customer2") + "&roles=customer")
                .then().statusCode(404);
        // Roles claimed for the user are only the chat roles: "service" cannot be passed on.
        given().header("Authorization", "Bearer " + service).get(path + sub("customer2") + "&roles=service,customer")
                .then().statusCode(404);
        // People cannot call it, not even for themselves.
        get("customer1", path + sub("customer1") + "&roles=customer").then().statusCode(403);
        get("compliance1", path + sub("customer1") + "&roles=customer").then().statusCode(403);
        given().get(path + sub("customer1")).then().statusCode(401);
    }

    @Test
    void theResumeAppliesTheSubscribeRuleNotTheReadRule() {
        // A customer id no real traffic uses, so no other conversation of the stack makes an agent serve them.
        String customer = "it-customer-" + UUID.randomUUID();
        UUID earlier = ChatRecords.id();
        sendConversation(conversation("started", earlier, customer, null));
        sendConversation(conversation("assigned", earlier, customer, sub("agent1")));
        sendMessage(message(earlier, 1, UUID.randomUUID(), customer, "customer", "Ada", "first visit"));
        sendConversation(conversation("closed", earlier, customer, sub("agent1")));
        // agent2 now serves the same customer: the read rule lets them read the earlier conversation...
        UUID now = ChatRecords.id();
        sendConversation(conversation("started", now, customer, null));
        sendConversation(conversation("assigned", now, customer, sub("agent2")));
        Db.awaitMessages(pool, earlier, 1);
        Db.awaitConversation(pool, earlier, "CLOSED");
        Db.awaitConversation(pool, now, "ASSIGNED");
        String history = "/api/v1/conversations/" + earlier + "/messages";
        get("agent2", history).then().statusCode(200);
        get("compliance1", history).then().statusCode(200);

        String path = "/internal/v1/conversations/" + earlier + "/messages?userId=";
        String service = Keycloak.serviceToken();
        // ...but a socket subscribes only as a participant or a supervisor: a resume on behalf of a serving agent
        // or of compliance is refused exactly as an unknown conversation.
        String unknown = given().header("Authorization", "Bearer " + service)
                .get("/internal/v1/conversations/" + UUID.randomUUID() + "/messages?userId=" + customer + "&roles=customer")
                .then().statusCode(404).extract().asString();
        assertEquals(unknown, given().header("Authorization", "Bearer " + service)
                .get(path + sub("agent2") + "&roles=agent").then().statusCode(404).extract().asString());
        assertEquals(unknown, given().header("Authorization", "Bearer " + service)
                .get(path + sub("compliance1") + "&roles=compliance").then().statusCode(404).extract().asString());
        // The customer (a guest-like id, no token), the agent who had it last, and supervisors get it.
        given().header("Authorization", "Bearer " + service).get(path + customer + "&roles=customer")
                .then().statusCode(200).body("messages.text", contains("first visit"));
        given().header("Authorization", "Bearer " + service).get(path + sub("agent1") + "&roles=agent")
                .then().statusCode(200).body("messages", hasSize(1));
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            given().header("Authorization", "Bearer " + service).get(path + sub("supervisor1") + "&roles=supervisor")
                    .then().statusCode(200).body("messages", hasSize(1));
            // The audit names the person read for and the service that asked.
            var read = audit.await(r -> "transcript.read".equals(r.value().path("action").asText())
                    && earlier.toString().equals(r.value().path("resource").path("id").asText())
                    && "supervisor".equals(r.value().path("details").path("basis").asText()), Duration.ofSeconds(20));
            assertEquals(sub("supervisor1"), read.value().path("actor").path("userId").asText());
            String via = read.value().path("details").path("via").asText();
            org.junit.jupiter.api.Assertions.assertFalse(via.isBlank(), "the calling service is recorded");
            org.junit.jupiter.api.Assertions.assertNotEquals(sub("supervisor1"), via);
        }
    }

    @Test
    void redactionsComeBackAsSentAndUnknownAttachmentIdsAreNotListed() {
        UUID id = ChatRecords.id();
        sendConversation(conversation("started", id, sub("customer1"), null));
        ObjectNode m = ChatRecords.withRedaction(
                message(id, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "card ************1234"),
                "card", 5, 21);
        m.withArray("attachmentIds").add("att-1");
        sendMessage(m);
        Db.awaitMessages(pool, id, 1);
        Db.awaitConversation(pool, id, "QUEUED");
        get("customer1", "/api/v1/conversations/" + id + "/messages").then().statusCode(200)
                .body("messages[0].redactions[0].kind", equalTo("card"))
                .body("messages[0].redactions[0].start", equalTo(5))
                .body("messages[0].redactions[0].end", equalTo(21))
                // an id no upload of the sender backs is not listed (AttachmentIT: linked uploads are)
                .body("messages[0].attachments", hasSize(0));
    }

    @Test
    void aRedeliveredRecordIsStoredOnceAndChangesNothing() {
        UUID id = ChatRecords.id();
        List<ObjectNode> sent = conversationOfCustomer1(id, 3);
        List<String> before = snapshot(id);
        // Everything again, as after a rebalance or a crash before the commit.
        sent.forEach(ChatRecords::sendMessage);
        // A record with a stored messageId but another seq is an anomaly: skipped.
        ObjectNode moved = sent.get(0).deepCopy();
        moved.put("seq", 9);
        sendMessage(moved);
        // Then a new one, so we know the ones before it were handled (one partition per conversation).
        sendMessage(message(id, 4, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "last"));
        Db.awaitMessages(pool, id, 4);
        assertEquals(before, snapshot(id));
        assertEquals(4, Db.count(pool, "SELECT count(*) FROM messages WHERE conversation_id = $1", id));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM messages WHERE conversation_id = $1 AND seq = 9", id));
        get("customer1", "/api/v1/conversations/" + id + "/messages").then().statusCode(200)
                .body("messages.seq", contains(1, 2, 3, 4));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("chat_transcript_messages_total{outcome=\"duplicate\"}"),
                "redeliveries are counted as duplicates");
    }

    @Test
    void unusableRecordsAreSkippedWithoutHoldingTheirPartition() {
        UUID id = ChatRecords.id();
        sendConversation(conversation("started", id, sub("customer1"), null));
        // Same key, so the same partition as the good record after them.
        ChatRecords.send("chat.messages.v1", id.toString(), "{not json at all");
        ObjectNode noSender = message(id, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "x");
        noSender.remove("sender");
        sendMessage(noSender);
        ObjectNode noSeq = message(id, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "x");
        noSeq.remove("seq");
        sendMessage(noSeq);
        ChatRecords.send("chat.conversations.v1", id.toString(), "[]");
        sendMessage(message(id, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "good"));
        Db.awaitMessages(pool, id, 1);
        get("customer1", "/api/v1/conversations/" + id + "/messages").then().statusCode(200)
                .body("messages.text", contains("good"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("chat_transcript_messages_total{outcome=\"skipped\"}"),
                "skipped records are counted");
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("chat_transcript_store_seconds_count"));
    }

    /** Every stored byte of a conversation's first three messages, their terms and its key. */
    List<String> snapshot(UUID id) {
        List<String> out = new ArrayList<>();
        Db.query(pool, "SELECT t::text FROM messages t WHERE conversation_id = $1 AND seq <= 3 ORDER BY seq", id)
                .forEach(r -> out.add(r.getString(0)));
        out.add(Db.query(pool, "SELECT string_agg(t::text, ',' ORDER BY seq, term) FROM message_terms t "
                + "WHERE conversation_id = $1 AND seq <= 3", id).get(0).getString(0));
        out.add(Db.query(pool, "SELECT t::text FROM conversation_keys t WHERE conversation_id = $1", id).get(0).getString(0));
        return out;
    }

    @Test
    void othersGet404LikeAnUnknownConversation() {
        UUID id = ChatRecords.id();
        conversationOfCustomer1(id, 1);
        String path = "/api/v1/conversations/" + id + "/messages";
        String unknown = get("customer2", "/api/v1/conversations/" + UUID.randomUUID() + "/messages")
                .then().statusCode(404).extract().asString();
        assertEquals("{\"code\":\"not_found\",\"message\":\"conversation not found\"}", unknown);
        assertEquals(unknown, get("customer2", path).then().statusCode(404).extract().asString());
        assertEquals(unknown, get("customer2", "/api/v1/conversations/not-a-uuid/messages")
                .then().statusCode(404).extract().asString());
        // moderators and admins have no role here
        get("moderator1", path).then().statusCode(403);
        get("admin1", path).then().statusCode(403);
        given().get(path).then().statusCode(401);
    }

    @Test
    void badParametersAre400BeforeAnythingElse() {
        String path = "/api/v1/conversations/" + UUID.randomUUID() + "/messages";
        for (String q : List.of("?limit=0", "?limit=201", "?limit=x", "?afterSeq=-1", "?afterSeq=1.5")) {
            get("customer2", path + q).then().statusCode(400).body("code", equalTo("bad_request"));
        }
    }

    @Test
    void agentsReadTheirAssignedConversationAndThoseOfACustomerTheyServeOnly() {
        // A customer id no real traffic uses, so no other conversation of the stack makes an agent serve them.
        String customer = "it-customer-" + UUID.randomUUID();
        UUID earlier = ChatRecords.id();
        sendConversation(conversation("started", earlier, customer, null));
        sendConversation(conversation("assigned", earlier, customer, sub("agent1")));
        sendMessage(message(earlier, 1, UUID.randomUUID(), customer, "customer", "Ada", "first visit"));
        sendConversation(conversation("closed", earlier, customer, sub("agent1")));
        Db.awaitMessages(pool, earlier, 1);
        Db.awaitConversation(pool, earlier, "CLOSED");
        String path = "/api/v1/conversations/" + earlier + "/messages";
        // The agent who had it last reads it after the close; another agent does not.
        get("agent1", path).then().statusCode(200).body("messages", hasSize(1));
        get("agent2", path).then().statusCode(404).body("code", equalTo("not_found"));

        // agent2 now serves the same customer in a new conversation: the earlier one becomes readable...
        UUID now = ChatRecords.id();
        sendConversation(conversation("started", now, customer, null));
        sendConversation(conversation("assigned", now, customer, sub("agent2")));
        Db.awaitConversation(pool, now, "ASSIGNED");
        get("agent2", path).then().statusCode(200).body("messages[0].text", equalTo("first visit"));
        // ...until that conversation closes.
        sendConversation(conversation("closed", now, customer, sub("agent2")));
        Db.awaitConversation(pool, now, "CLOSED");
        get("agent2", path).then().statusCode(404);
    }

    @Test
    void supervisorsAndComplianceReadAndEveryReadNotByTheCustomerIsAudited() {
        UUID id = ChatRecords.id();
        conversationOfCustomer1(id, 2);
        String path = "/api/v1/conversations/" + id + "/messages";
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            get("compliance1", path).then().statusCode(200).body("messages", hasSize(2));
            var record = audit.await(r -> "transcript.read".equals(r.value().path("action").asText())
                    && id.toString().equals(r.value().path("resource").path("id").asText()), Duration.ofSeconds(20));
            var v = record.value();
            assertEquals("conversation:" + id, record.key());
            assertEquals("conversation", v.path("resource").path("type").asText());
            assertEquals("SUCCESS", v.path("outcome").asText());
            assertEquals(sub("compliance1"), v.path("actor").path("userId").asText());
            assertEquals("compliance", v.path("details").path("basis").asText());
            assertEquals(2, v.path("details").path("messageCount").asInt());
            assertEquals("transcript-service", v.path("service").asText());
            assertEquals(1, v.path("v").asInt());
            // counts and rule codes only
            assertEquals(false, v.toString().contains("question"));

            get("supervisor1", path).then().statusCode(200);
            audit.await(r -> "transcript.read".equals(r.value().path("action").asText())
                    && id.toString().equals(r.value().path("resource").path("id").asText())
                    && "supervisor".equals(r.value().path("details").path("basis").asText()), Duration.ofSeconds(20));
            get("agent1", path).then().statusCode(200);
            audit.await(r -> "assigned_agent".equals(r.value().path("details").path("basis").asText())
                    && id.toString().equals(r.value().path("resource").path("id").asText()), Duration.ofSeconds(20));

            // The customer's own read is not audited.
            get("customer1", path).then().statusCode(200);
            var reads = audit.all(r -> id.toString().equals(r.value().path("resource").path("id").asText()),
                    Duration.ofSeconds(2));
            assertEquals(3, reads.size(), "compliance, supervisor and agent reads only");
        }
    }
}
