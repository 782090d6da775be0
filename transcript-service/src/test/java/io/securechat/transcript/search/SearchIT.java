package io.securechat.transcript.search;

import static io.restassured.RestAssured.given;
import static io.securechat.transcript.testing.ChatRecords.conversation;
import static io.securechat.transcript.testing.ChatRecords.message;
import static io.securechat.transcript.testing.ChatRecords.sendConversation;
import static io.securechat.transcript.testing.ChatRecords.sendMessage;
import static io.securechat.transcript.testing.ChatRecords.sub;
import static io.securechat.transcript.testing.ChatRecords.uniqueWord;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Blind-index search: finds by words, only where the caller may read, and the index holds no word. */
@QuarkusTest
@QuarkusTestResource(TranscriptTestStack.class)
class SearchIT {

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @BeforeEach
    void schemaMigrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    static Response search(String user, String q) {
        return given().header("Authorization", "Bearer " + Keycloak.token(user)).queryParam("q", q).get("/api/v1/search");
    }

    @Test
    void findsMessagesWithEveryWordForWhoMayReadThemOnly() {
        String a = uniqueWord();
        String b = uniqueWord();
        UUID id = ChatRecords.id();
        sendConversation(conversation("started", id, sub("customer1"), null));
        sendMessage(message(id, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "My " + a + " is broken"));
        sendMessage(message(id, 2, UUID.randomUUID(), sub("customer1"), "customer", "Ada", a.toUpperCase() + " and " + b));
        Db.awaitMessages(pool, id, 2);
        Db.awaitConversation(pool, id, "QUEUED");

        // One word: both, newest first; normalized like the text (case).
        search("customer1", a.toUpperCase()).then().statusCode(200)
                .body("messages.seq", contains(2, 1))
                .body("messages[0].type", equalTo("message"))
                .body("messages[0].text", equalTo(a.toUpperCase() + " and " + b))
                .body("hasMore", equalTo(false));
        // Every word must be in the message.
        search("customer1", a + " " + b).then().statusCode(200).body("messages.seq", contains(2));
        search("customer1", b + " " + uniqueWord()).then().statusCode(200).body("messages", hasSize(0));
        // Not someone else's conversation.
        search("customer2", a).then().statusCode(200).body("messages", hasSize(0));
        // Supervisors and compliance search everything; compliance searches are audited without the words.
        search("supervisor1", a).then().statusCode(200).body("messages", hasSize(2));
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            search("compliance1", a + " " + b).then().statusCode(200).body("messages", hasSize(1));
            var r = audit.await(x -> "transcript.search".equals(x.value().path("action").asText())
                    && sub("compliance1").equals(x.value().path("actor").path("userId").asText()), Duration.ofSeconds(20));
            assertEquals(2, r.value().path("details").path("wordCount").asInt());
            assertEquals(1, r.value().path("details").path("resultCount").asInt());
            // Which conversations were read: their ids.
            assertEquals(1, r.value().path("details").path("conversationIds").size());
            assertEquals(id.toString(), r.value().path("details").path("conversationIds").get(0).asText());
            assertFalse(r.value().toString().contains(a));
            assertFalse(r.value().toString().contains(b));
        }
    }

    @Test
    void agentsFindTheirAssignedConversationsOnly() {
        // A customer no real traffic uses, so no conversation of the running stack makes agent2 serve them.
        String customer = "it-customer-" + UUID.randomUUID();
        String word = uniqueWord();
        UUID id = ChatRecords.id();
        sendConversation(conversation("started", id, customer, null));
        sendConversation(conversation("assigned", id, customer, sub("agent1")));
        sendMessage(message(id, 1, UUID.randomUUID(), customer, "customer", "Ada", "about " + word));
        Db.awaitMessages(pool, id, 1);
        Db.awaitConversation(pool, id, "ASSIGNED");
        search("agent1", word).then().statusCode(200).body("messages", hasSize(1));
        search("agent2", word).then().statusCode(200).body("messages", hasSize(0));
    }

    @Test
    void theTermRowsHoldNoPlaintext() {
        String word = uniqueWord();
        UUID id = ChatRecords.id();
        sendConversation(conversation("started", id, sub("customer1"), null));
        sendMessage(message(id, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", word + " " + word + " ok"));
        Db.awaitMessages(pool, id, 1);
        var terms = Db.query(pool, "SELECT t::text, term FROM message_terms t WHERE conversation_id = $1", id);
        assertEquals(2, terms.size(), "one row per distinct word of 2+ characters");
        for (var t : terms) {
            assertEquals(16, t.getBuffer(1).length());
            assertFalse(t.getString(0).contains(word));
            assertFalse(t.getString(0).contains(HexFormat.of().formatHex(word.getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void badQueriesAre400() {
        for (String q : List.of("", "a", "! ?", "a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11")) {
            search("customer1", q).then().statusCode(400).body("code", equalTo("bad_request"));
        }
        given().header("Authorization", "Bearer " + Keycloak.token("customer1")).get("/api/v1/search")
                .then().statusCode(400);
        given().header("Authorization", "Bearer " + Keycloak.token("customer1")).queryParam("q", "hello")
                .queryParam("limit", "101").get("/api/v1/search").then().statusCode(400);
        given().header("Authorization", "Bearer " + Keycloak.token("admin1")).queryParam("q", "hello")
                .get("/api/v1/search").then().statusCode(403);
    }
}
