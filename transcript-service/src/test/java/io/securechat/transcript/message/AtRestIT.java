package io.securechat.transcript.message;

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
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the database owner sees: ciphertext only, and tampering shows up as an integrity error, never as text. */
@QuarkusTest
@QuarkusTestResource(TranscriptTestStack.class)
class AtRestIT {

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @BeforeEach
    void schemaMigrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    @Test
    void noWordOfAMessageNorTheDisplayNameIsInAnyColumnOfAnyTable() {
        UUID id = ChatRecords.id();
        String displayName = "Zelda" + uniqueWord();
        List<String> words = List.of(uniqueWord(), uniqueWord(), uniqueWord(), uniqueWord());
        sendConversation(conversation("started", id, sub("customer1"), null));
        sendMessage(message(id, 1, UUID.randomUUID(), sub("customer1"), "customer", displayName,
                words.get(0) + " " + words.get(1)));
        sendMessage(message(id, 2, UUID.randomUUID(), sub("customer1"), "customer", displayName,
                "Hello " + words.get(2).toUpperCase() + ", " + words.get(3) + "!"));
        Db.awaitMessages(pool, id, 2);
        Db.awaitConversation(pool, id, "QUEUED");
        // It is all there for the customer...
        given().header("Authorization", "Bearer " + Keycloak.token("customer1"))
                .get("/api/v1/conversations/" + id + "/messages").then().statusCode(200)
                .body("messages.text", contains(words.get(0) + " " + words.get(1),
                        "Hello " + words.get(2).toUpperCase() + ", " + words.get(3) + "!"))
                .body("messages.sender.displayName", contains(displayName, displayName));

        // ...and nowhere in the database: every row of every table of the schema, as text.
        List<String> tables = Db.query(pool, "SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").stream()
                .map(r -> r.getString(0)).toList();
        assertTrue(tables.containsAll(List.of("messages", "message_terms", "conversation_keys", "conversations")), tables.toString());
        List<String> secrets = new java.util.ArrayList<>(words);
        secrets.add(displayName.toLowerCase());
        long rows = 0;
        for (String table : tables) {
            for (var r : Db.query(pool, "SELECT lower(t::text) FROM " + table + " t")) {
                String row = r.getString(0);
                rows++;
                for (String secret : secrets) {
                    assertFalse(row.contains(secret), "plaintext in " + table);
                    // bytea prints as hex: the UTF-8 bytes of a word must not be there either
                    assertFalse(row.contains(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8))),
                            "plaintext bytes in " + table);
                }
            }
        }
        assertTrue(rows >= 5, "rows checked: " + rows);
        // The plaintext columns are ids, seq, sender userId and role, verifiedAgent, times and key ids.
        assertEquals(List.of("message_id", "conversation_id", "seq", "sender_user_id", "sender_role", "verified_agent",
                "sent_at", "data_key_id", "ciphertext", "stored_at"), Db.query(pool,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                        + "AND table_name = 'messages' ORDER BY ordinal_position").stream().map(r -> r.getString(0)).toList());
    }

    @Test
    void swappedCiphertextsComeBackAsIntegrityErrorsAndTheRestOfThePageIsFine() {
        UUID id = ChatRecords.id();
        sendConversation(conversation("started", id, sub("customer1"), null));
        sendConversation(conversation("assigned", id, sub("customer1"), sub("agent1")));
        for (int seq = 1; seq <= 4; seq++) {
            sendMessage(message(id, seq, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "line " + seq));
        }
        Db.awaitMessages(pool, id, 4);
        Db.awaitConversation(pool, id, "ASSIGNED");
        // What someone with write access to the database could do: swap two messages' ciphertexts.
        Db.query(pool, """
                UPDATE messages m SET ciphertext = o.ciphertext
                  FROM messages o
                 WHERE m.conversation_id = $1 AND o.conversation_id = $1
                   AND ((m.seq = 2 AND o.seq = 3) OR (m.seq = 3 AND o.seq = 2))""", id);
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            given().header("Authorization", "Bearer " + Keycloak.token("customer1"))
                    .get("/api/v1/conversations/" + id + "/messages").then().statusCode(200)
                    .body("messages", hasSize(4))
                    .body("messages.seq", contains(1, 2, 3, 4))
                    .body("messages[0].text", equalTo("line 1"))
                    .body("messages[0].integrityError", nullValue())
                    .body("messages[1].text", nullValue())
                    .body("messages[1].integrityError", equalTo(true))
                    .body("messages[1].sender.userId", equalTo(sub("customer1")))
                    .body("messages[1].sender.displayName", nullValue())
                    .body("messages[1].sender.containsKey('displayName')", equalTo(false))
                    .body("messages[1].redactions", hasSize(0))
                    .body("messages[1].attachments", hasSize(0))
                    .body("messages[2].text", nullValue())
                    .body("messages[2].integrityError", equalTo(true))
                    .body("messages[3].text", equalTo("line 4"));
            var failure = audit.await(r -> "transcript.integrity_failure".equals(r.value().path("action").asText())
                    && id.toString().equals(r.value().path("resource").path("id").asText()), Duration.ofSeconds(20));
            assertEquals("FAILURE", failure.value().path("outcome").asText());
            assertEquals(2, failure.value().path("details").path("count").asInt());
            assertEquals("[2,3]", failure.value().path("details").path("seqs").toString());
        }
        // A corrupted wrapped key: every message of the conversation fails, none shows garbage.
        // (The unwrapped key is cached; a new conversation shows the uncached path.)
        UUID other = ChatRecords.id();
        sendConversation(conversation("started", other, sub("customer1"), null));
        sendMessage(message(other, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "x1"));
        Db.awaitMessages(pool, other, 1);
        Db.awaitConversation(pool, other, "QUEUED");
        // the key of another conversation, copied onto this one's row, does not unwrap (its associated data names the conversation)
        Db.query(pool, "UPDATE conversation_keys SET wrapped_key = (SELECT wrapped_key FROM conversation_keys WHERE "
                + "conversation_id = $1) WHERE conversation_id = $2", id, other);
        io.quarkus.arc.Arc.container().instance(io.securechat.transcript.message.service.DataKeys.class).get().evict(other);
        given().header("Authorization", "Bearer " + Keycloak.token("customer1"))
                .get("/api/v1/conversations/" + other + "/messages").then().statusCode(200)
                .body("messages[0].integrityError", equalTo(true))
                .body("messages[0].text", nullValue());
    }
}
