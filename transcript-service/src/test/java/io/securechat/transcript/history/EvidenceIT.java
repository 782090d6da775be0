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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The evidence of a report: only the named messages of that conversation, for the moderation service, audited. */
@QuarkusTest
@QuarkusTestResource(TranscriptTestStack.class)
class EvidenceIT {

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @BeforeEach
    void schemaMigrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    private List<ObjectNode> conversationWith(UUID id, int n) {
        sendConversation(conversation("started", id, sub("customer1"), null));
        sendConversation(conversation("assigned", id, sub("customer1"), sub("agent1")));
        List<ObjectNode> sent = new ArrayList<>();
        for (int seq = 1; seq <= n; seq++) {
            ObjectNode m = seq % 2 == 1
                    ? message(id, seq, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "rude " + seq)
                    : message(id, seq, UUID.randomUUID(), sub("agent1"), "agent", "Agent One", "calm " + seq);
            sendMessage(m);
            sent.add(m);
        }
        Db.awaitMessages(pool, id, n);
        Db.awaitConversation(pool, id, "ASSIGNED");
        return sent;
    }

    private static String moderationToken() {
        return Keycloak.clientToken(Keycloak.MODERATION_CLIENT, Keycloak.MODERATION_SECRET);
    }

    @Test
    void theNamedMessagesOfThisConversationOnlyInSeqOrderAudited() {
        UUID id = ChatRecords.id();
        List<ObjectNode> sent = conversationWith(id, 4);
        UUID other = ChatRecords.id();
        List<ObjectNode> elsewhere = conversationWith(other, 1);
        String m3 = sent.get(2).get("messageId").asText();
        String m1 = sent.get(0).get("messageId").asText();
        String foreign = elsewhere.get(0).get("messageId").asText();
        UUID reportId = UUID.randomUUID();
        String path = "/internal/v1/conversations/" + id + "/messages/by-id?ids=" + m3 + "," + m1 + "," + foreign + ","
                + UUID.randomUUID() + "&for=" + sub("moderator1") + "&roles=moderator&reportId=" + reportId
                + "&reporter=" + sub("agent1");
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            given().header("Authorization", "Bearer " + moderationToken()).get(path).then().statusCode(200)
                    .body("conversationId", equalTo(id.toString()))
                    .body("messages.messageId", contains(m1, m3))
                    .body("messages.seq", contains(1, 3))
                    .body("messages.text", contains("rude 1", "rude 3"))
                    .body("messages[0].sender.userId", equalTo(sub("customer1")))
                    .body("messages[0].sender.displayName", equalTo("Ada"))
                    .body("reporterParticipant", equalTo(true));
            var read = audit.await(r -> "transcript.read".equals(r.value().path("action").asText())
                    && id.toString().equals(r.value().path("resource").path("id").asText())
                    && "moderation".equals(r.value().path("details").path("basis").asText()), Duration.ofSeconds(20));
            assertEquals(sub("moderator1"), read.value().path("actor").path("userId").asText());
            assertEquals(reportId.toString(), read.value().path("details").path("reportId").asText());
            assertEquals(2, read.value().path("details").path("messageCount").asInt());
            assertFalse(read.value().path("details").path("via").asText().isBlank());
            assertFalse(read.value().toString().contains("rude"), "no text in the audit record");
        }
    }

    @Test
    void aReporterWhoTookNoPartIsSaidSoAndGetsNoMessages() {
        UUID id = ChatRecords.id();
        List<ObjectNode> sent = conversationWith(id, 2);
        given().header("Authorization", "Bearer " + moderationToken())
                .get("/internal/v1/conversations/" + id + "/messages/by-id?ids=" + sent.get(0).get("messageId").asText()
                        + "&for=" + sub("moderator1") + "&reporter=" + sub("customer2"))
                .then().statusCode(200).body("messages", hasSize(0)).body("reporterParticipant", equalTo(false));
        // Without a reporter nobody vouches for the ids: nothing either.
        given().header("Authorization", "Bearer " + moderationToken())
                .get("/internal/v1/conversations/" + id + "/messages/by-id?ids=" + sent.get(0).get("messageId").asText()
                        + "&for=" + sub("moderator1"))
                .then().statusCode(200).body("messages", hasSize(0));
    }

    @Test
    void onlyServicesMayAskAndBadInputIs400() {
        UUID id = ChatRecords.id();
        String ok = "/internal/v1/conversations/" + id + "/messages/by-id?ids=" + UUID.randomUUID() + "&for=x";
        given().header("Authorization", "Bearer " + Keycloak.token("moderator1")).get(ok).then().statusCode(403);
        given().header("Authorization", "Bearer " + Keycloak.token("compliance1")).get(ok).then().statusCode(403);
        String service = moderationToken();
        given().header("Authorization", "Bearer " + service)
                .get("/internal/v1/conversations/" + id + "/messages/by-id?ids=not-a-uuid&for=x")
                .then().statusCode(400).body("code", equalTo("bad_request"));
        given().header("Authorization", "Bearer " + service)
                .get("/internal/v1/conversations/" + id + "/messages/by-id?ids=" + UUID.randomUUID())
                .then().statusCode(400).body("code", equalTo("bad_request"));
        // Unknown conversation: nothing to show, not an error.
        given().header("Authorization", "Bearer " + service).get(ok).then().statusCode(200).body("messages", hasSize(0));
    }
}
