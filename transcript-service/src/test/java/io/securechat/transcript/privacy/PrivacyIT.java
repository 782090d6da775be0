package io.securechat.transcript.privacy;

import static io.restassured.RestAssured.given;
import static io.securechat.transcript.testing.ChatRecords.conversation;
import static io.securechat.transcript.testing.ChatRecords.message;
import static io.securechat.transcript.testing.ChatRecords.sendConversation;
import static io.securechat.transcript.testing.ChatRecords.sendMessage;
import static io.securechat.transcript.testing.ChatRecords.sub;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import io.securechat.transcript.crypto.AttachmentCipher;
import io.securechat.transcript.crypto.TranscriptCipher;
import io.securechat.transcript.testing.ChatRecords;
import io.securechat.transcript.testing.Db;
import io.securechat.transcript.testing.TranscriptTestStack;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Legal holds, consents, export and crypto-shredding erasure against the real stack. */
@QuarkusTest
@QuarkusTestResource(TranscriptTestStack.class)
class PrivacyIT {

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

    static Response setHold(String user, Map<String, String> body) {
        return as(user).contentType("application/json").body(body).post("/api/v1/privacy/holds");
    }

    @Test
    void holdsAreSetListedAndLiftedByComplianceOnly() {
        UUID conversation = ChatRecords.id();
        for (String user : List.of("customer1", "agent1", "supervisor1", "admin1")) {
            setHold(user, Map.of("conversationId", conversation.toString(), "reason", "x")).then().statusCode(403);
        }
        setHold("compliance1", Map.of("reason", "no scope")).then().statusCode(400).body("code", equalTo("bad_request"));
        setHold("compliance1", Map.of("conversationId", "nope", "reason", "x")).then().statusCode(400);
        setHold("compliance1", Map.of("conversationId", conversation.toString(), "subjectId", "u", "reason", "x"))
                .then().statusCode(400);
        setHold("compliance1", Map.of("conversationId", conversation.toString())).then().statusCode(400);
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            String holdId = setHold("compliance1", Map.of("conversationId", conversation.toString(), "reason", "case 42"))
                    .then().statusCode(201).body("conversationId", equalTo(conversation.toString()))
                    .body("subjectId", nullValue()).body("reason", equalTo("case 42"))
                    .body("createdBy", equalTo(sub("compliance1"))).body("liftedAt", nullValue())
                    .extract().path("holdId");
            var set = audit.await(r -> "legal_hold.set".equals(r.value().path("action").asText())
                    && holdId.equals(r.value().path("resource").path("id").asText()), Duration.ofSeconds(20));
            assertFalse(set.value().toString().contains("case 42"), "no reason text in the audit record");
            for (String user : List.of("compliance1", "admin1")) {
                as(user).get("/api/v1/privacy/holds").then().statusCode(200).body("holdId", hasItem(holdId));
            }
            as("agent1").get("/api/v1/privacy/holds").then().statusCode(403);
            as("admin1").delete("/api/v1/privacy/holds/" + holdId).then().statusCode(403);
            as("compliance1").delete("/api/v1/privacy/holds/" + holdId).then().statusCode(200)
                    .body("liftedAt", notNullValue()).body("liftedBy", equalTo(sub("compliance1")));
            audit.await(r -> "legal_hold.lifted".equals(r.value().path("action").asText())
                    && holdId.equals(r.value().path("resource").path("id").asText()), Duration.ofSeconds(20));
            // kept, lifted
            as("compliance1").get("/api/v1/privacy/holds?active=true").then().statusCode(200)
                    .body("holdId", org.hamcrest.Matchers.not(hasItem(holdId)));
            as("compliance1").get("/api/v1/privacy/holds").then().statusCode(200).body("holdId", hasItem(holdId));
            as("compliance1").delete("/api/v1/privacy/holds/" + UUID.randomUUID()).then().statusCode(404);
        }
    }

    @Test
    void consentsAreRecordedFromTheGatewaysAuditEventsOnce() {
        String guest = "guest:" + UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        Instant at = Instant.parse("2026-02-03T04:05:06.789Z");
        ObjectNode e = ChatRecords.JSON.createObjectNode();
        e.put("v", 1).put("eventId", eventId.toString()).put("occurredAt", at.toString());
        e.putObject("actor").put("userId", guest).putArray("roles").add("guest");
        e.put("action", "guest.session.created");
        e.putObject("resource").put("type", "guest").put("id", guest);
        e.put("outcome", "SUCCESS");
        e.putObject("details").put("policyVersion", "2026-01").put("consentAt", at.toString());
        e.put("service", "gateway-service");
        ChatRecords.send("audit.events.v1", "guest:" + guest, e.toString());
        ChatRecords.send("audit.events.v1", "guest:" + guest, e.toString()); // redelivered
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(
                () -> Db.count(pool, "SELECT count(*) FROM consents WHERE subject_id = $1", guest) > 0);
        as("compliance1").get("/api/v1/privacy/subjects/" + guest + "/export").then().statusCode(200)
                .body("subjectId", equalTo(guest))
                .body("consents", hasSize(1))
                .body("consents[0].policyVersion", equalTo("2026-01"))
                .body("consents[0].acceptedAt", equalTo(at.toString()))
                .body("consents[0].eventId", equalTo(eventId.toString()))
                .body("conversations", hasSize(0)).body("erased", equalTo(false));
    }

    @Test
    void exportThenErasureRefusedUnderHoldsThenCryptoShredded() throws Exception {
        String customer = sub("customer2");
        UUID a = ChatRecords.id();
        UUID b = ChatRecords.id();
        String word = ChatRecords.uniqueWord();
        sendConversation(conversation("started", a, customer, null));
        sendConversation(conversation("assigned", a, customer, sub("agent1")));
        sendConversation(conversation("started", b, customer, null));
        Db.awaitConversation(pool, a, "ASSIGNED");
        Db.awaitConversation(pool, b, "QUEUED");
        String fileId = as("customer2").config(io.restassured.RestAssured.config().encoderConfig(
                        io.restassured.config.EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("text/plain").queryParam("filename", "notes.txt").body(("file " + word).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/conversations/" + a + "/attachments").then().statusCode(201).extract().path("attachmentId");
        ObjectNode first = message(a, 1, UUID.randomUUID(), customer, "customer", "Bea", "hello " + word);
        first.putArray("attachmentIds").add(fileId);
        sendMessage(first);
        sendMessage(message(a, 2, UUID.randomUUID(), sub("agent1"), "agent", "Agent One", "answer " + word));
        sendMessage(message(b, 1, UUID.randomUUID(), customer, "customer", "Bea", "other " + word));
        // Someone else's conversation (its keys stay): the keys to try after the erasure.
        UUID other = ChatRecords.id();
        sendConversation(conversation("started", other, sub("customer1"), null));
        sendMessage(message(other, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "unrelated"));
        Db.awaitMessages(pool, a, 2);
        Db.awaitMessages(pool, b, 1);
        Db.awaitMessages(pool, other, 1);

        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            String path = "/api/v1/privacy/subjects/" + customer + "/export";
            Response mine = as("customer2").get(path);
            mine.then().statusCode(200).header("Content-Disposition", containsString("attachment;"))
                    .body("subjectId", equalTo(customer)).body("erased", equalTo(false));
            JsonNode export = ChatRecords.JSON.readTree(mine.asString());
            JsonNode ca = find(export, a);
            assertEquals("customer", ca.path("role").asText());
            assertEquals(2, ca.path("messages").size());
            assertEquals("hello " + word, ca.path("messages").get(0).path("text").asText());
            assertEquals("notes.txt", ca.path("messages").get(0).path("attachments").get(0).path("filename").asText());
            assertEquals(fileId, ca.path("attachments").get(0).path("attachmentId").asText());
            assertEquals(1, find(export, b).path("messages").size());
            as("compliance1").get(path).then().statusCode(200).body("subjectId", equalTo(customer));
            as("customer1").get(path).then().statusCode(404).body("code", equalTo("not_found"));
            as("agent1").get(path).then().statusCode(404);
            var exported = audit.await(r -> "privacy.export".equals(r.value().path("action").asText())
                    && customer.equals(r.value().path("resource").path("id").asText())
                    && "compliance".equals(r.value().path("details").path("basis").asText()), Duration.ofSeconds(20));
            assertFalse(exported.value().toString().contains(word));

            // Erasure is for compliance only, and refused under a hold on one conversation or on the subject.
            String erase = "/api/v1/privacy/subjects/" + customer + "/erasure";
            as("customer2").post(erase).then().statusCode(403);
            as("admin1").post(erase).then().statusCode(403);
            String onA = setHold("compliance1", Map.of("conversationId", a.toString(), "reason", "litigation 7"))
                    .then().statusCode(201).extract().path("holdId");
            as("compliance1").post(erase).then().statusCode(409).body("code", equalTo("legal_hold"))
                    .body("message", containsString(onA)).body("message", containsString("litigation 7"));
            as("compliance1").delete("/api/v1/privacy/holds/" + onA).then().statusCode(200);
            String onSubject = setHold("compliance1", Map.of("subjectId", customer, "reason", "regulator request"))
                    .then().statusCode(201).extract().path("holdId");
            as("compliance1").post(erase).then().statusCode(409).body("message", containsString(onSubject))
                    .body("message", containsString("regulator request"));
            as("compliance1").delete("/api/v1/privacy/holds/" + onSubject).then().statusCode(200);

            // The holds are lifted: the keys go.
            int before = (int) Db.count(pool, "SELECT count(*) FROM conversations WHERE customer_id = $1 AND erased_at IS NULL", customer);
            as("compliance1").post(erase).then().statusCode(200).body("subjectId", equalTo(customer))
                    .body("conversations", equalTo(before)).body("keysDestroyed", org.hamcrest.Matchers.greaterThanOrEqualTo(3));
            var erasure = audit.await(r -> "privacy.erasure".equals(r.value().path("action").asText())
                    && customer.equals(r.value().path("resource").path("id").asText())
                    && "SUCCESS".equals(r.value().path("outcome").asText()), Duration.ofSeconds(20));
            assertEquals(before, erasure.value().path("details").path("conversations").asInt());
        }

        // Former readers get 404; compliance sees that it was erased; the export has no messages.
        as("customer2").get("/api/v1/conversations/" + a + "/messages").then().statusCode(404);
        as("agent1").get("/api/v1/conversations/" + a + "/messages").then().statusCode(404);
        as("compliance1").get("/api/v1/conversations/" + a + "/messages").then().statusCode(200)
                .body("erased", equalTo(true)).body("messages", hasSize(0));
        as("customer2").get("/api/v1/conversations/" + a + "/attachments/" + fileId).then().statusCode(404);
        as("compliance1").get("/api/v1/search?q=" + word).then().statusCode(200).body("messages", hasSize(0));
        JsonNode after = ChatRecords.JSON.readTree(as("customer2").get("/api/v1/privacy/subjects/" + customer + "/export")
                .then().statusCode(200).body("erased", equalTo(true)).extract().asString());
        for (JsonNode c : after.path("conversations")) {
            if ("customer".equals(c.path("role").asText())) {
                assertEquals(0, c.path("messages").size());
                assertTrue(c.path("erased").asBoolean());
            }
        }

        // No stored row of those conversations decrypts with any key the service still holds.
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM conversation_keys WHERE conversation_id = ANY($1)",
                (Object) new UUID[] {a, b}));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM attachment_keys WHERE conversation_id = ANY($1)",
                (Object) new UUID[] {a, b}));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM message_terms WHERE conversation_id = ANY($1)",
                (Object) new UUID[] {a, b}));
        Aead kek = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(TranscriptTestStack.KEK_COPY),
                InsecureSecretKeyAccess.get()).getPrimitive(RegistryConfiguration.get(), Aead.class);
        List<Aead> dataKeys = new ArrayList<>();
        for (Row r : Db.query(pool, "SELECT conversation_id, wrapped_key FROM conversation_keys")) {
            try {
                KeysetHandle h = TinkProtoKeysetFormat.parseEncryptedKeyset(r.getBuffer(1).getBytes(), kek,
                        TranscriptCipher.keyAad(r.getUUID(0)));
                dataKeys.add(h.getPrimitive(RegistryConfiguration.get(), Aead.class));
            } catch (java.security.GeneralSecurityException tamperedByAtRestIT) {
                // a row another test tampered with: no usable key
            }
        }
        List<StreamingAead> fileKeys = new ArrayList<>();
        for (Row r : Db.query(pool, "SELECT conversation_id, wrapped_key FROM attachment_keys")) {
            try {
                KeysetHandle h = TinkProtoKeysetFormat.parseEncryptedKeyset(r.getBuffer(1).getBytes(), kek,
                        AttachmentCipher.keyAad(r.getUUID(0)));
                fileKeys.add(h.getPrimitive(RegistryConfiguration.get(), StreamingAead.class));
            } catch (java.security.GeneralSecurityException e) {
                // not a usable key
            }
        }
        assertFalse(dataKeys.isEmpty(), "other conversations' keys are there to try");
        List<Row> rows = Db.query(pool, "SELECT conversation_id, seq, message_id, ciphertext FROM messages WHERE conversation_id = ANY($1)",
                (Object) new UUID[] {a, b});
        assertEquals(3, rows.size(), "crypto-shredding keeps the ciphertext rows");
        for (Row r : rows) {
            byte[] ct = r.getBuffer("ciphertext").getBytes();
            byte[] aad = TranscriptCipher.messageAad(r.getUUID("conversation_id"), r.getLong("seq"), r.getUUID("message_id"));
            for (Aead k : dataKeys) {
                assertThrows(java.security.GeneralSecurityException.class, () -> k.decrypt(ct, aad));
                assertThrows(java.security.GeneralSecurityException.class, () -> k.decrypt(ct, new byte[0]));
            }
            assertThrows(java.security.GeneralSecurityException.class, () -> kek.decrypt(ct, aad));
        }
        for (Row r : Db.query(pool, "SELECT c.data, a.metadata FROM attachment_chunks c JOIN attachments a USING (attachment_id) "
                + "WHERE a.conversation_id = ANY($1)", (Object) new UUID[] {a, b})) {
            for (byte[] ct : List.of(r.getBuffer(0).getBytes(), r.getBuffer(1).getBytes())) {
                for (StreamingAead k : fileKeys) {
                    for (byte[] aad : List.of(AttachmentCipher.fileAad(a, UUID.fromString(fileId)),
                            AttachmentCipher.metadataAad(a, UUID.fromString(fileId)))) {
                        assertThrows(java.io.IOException.class,
                                () -> k.newDecryptingStream(new ByteArrayInputStream(ct), aad).readAllBytes());
                    }
                }
                assertThrows(java.security.GeneralSecurityException.class, () -> kek.decrypt(ct, new byte[0]));
            }
        }

        // A late message for an erased conversation is not stored (and creates no new key).
        var late = ChatRecords.sendWithOffset("chat.messages.v1", a.toString(),
                message(a, 3, UUID.randomUUID(), customer, "customer", "Bea", "late " + word).toString());
        io.securechat.transcript.retention.RetentionPurgeIT.awaitConsumed(late);
        assertEquals(2, Db.count(pool, "SELECT count(*) FROM messages WHERE conversation_id = $1", a));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM conversation_keys WHERE conversation_id = $1", a));
    }

    @Test
    void anAgentsExportHasTheConversationsTheySentInAfterATransfer() throws Exception {
        String customer = "it-export-" + UUID.randomUUID();
        UUID c = ChatRecords.id();
        String word = ChatRecords.uniqueWord();
        sendConversation(conversation("started", c, customer, null));
        sendConversation(conversation("assigned", c, customer, sub("agent1")));
        sendMessage(message(c, 1, UUID.randomUUID(), customer, "customer", "Bea", "question " + word));
        sendMessage(message(c, 2, UUID.randomUUID(), sub("agent1"), "agent", "Agent One", "answer " + word));
        // Transferred: the conversation's agentId is agent2 now.
        sendConversation(conversation("transferred", c, customer, sub("agent2")));
        sendMessage(message(c, 3, UUID.randomUUID(), sub("agent2"), "agent", "Agent Two", "later " + word));
        Db.awaitMessages(pool, c, 3);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> Db.count(pool,
                "SELECT count(*) FROM conversations WHERE id = $1 AND agent_id = $2", c, sub("agent2")) > 0);
        JsonNode export = ChatRecords.JSON.readTree(as("compliance1").get("/api/v1/privacy/subjects/" + sub("agent1") + "/export")
                .then().statusCode(200).extract().asString());
        JsonNode mine = find(export, c);
        assertEquals("agent", mine.path("role").asText());
        assertEquals(1, mine.path("messages").size(), "only the messages agent1 sent");
        assertEquals("answer " + word, mine.path("messages").get(0).path("text").asText());
        // And the current agent's export has it too, with their message only.
        JsonNode current = find(ChatRecords.JSON.readTree(as("compliance1").get("/api/v1/privacy/subjects/" + sub("agent2")
                + "/export").then().statusCode(200).extract().asString()), c);
        assertEquals(1, current.path("messages").size());
        assertEquals("later " + word, current.path("messages").get(0).path("text").asText());
    }

    @Test
    void anErasureWhileMessagesKeepComingLeavesNoKeyAndStoresNothingAfterIt() throws Exception {
        // A subject no real traffic uses.
        String customer = "it-erase-race-" + UUID.randomUUID();
        UUID c = ChatRecords.id();
        String word = ChatRecords.uniqueWord();
        sendConversation(conversation("started", c, customer, null));
        sendConversation(conversation("assigned", c, customer, sub("agent1")));
        Db.awaitConversation(pool, c, "ASSIGNED");

        AtomicLong seq = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                while (!stop.get() && seq.get() < 5000) {
                    long n = seq.incrementAndGet();
                    sendMessage(message(c, n, UUID.randomUUID(), n % 2 == 0 ? sub("agent1") : customer,
                            n % 2 == 0 ? "agent" : "customer", "Bea", "race " + word + " " + n));
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "erasure-race-producer");
        producer.start();
        long erasedAtSeq;
        long storedWhenErased;
        try {
            // The consumer is busy storing this conversation's messages (the producer is ahead of it)...
            Db.awaitMessages(pool, c, 30);
            // ...when the erasure runs.
            as("compliance1").post("/api/v1/privacy/subjects/" + customer + "/erasure").then().statusCode(200)
                    .body("conversations", equalTo(1));
            storedWhenErased = Db.count(pool, "SELECT count(*) FROM messages WHERE conversation_id = $1", c);
            erasedAtSeq = seq.get();
            // The producer keeps going a while after it.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> seq.get() > erasedAtSeq + 200 || failed.get() != null);
        } finally {
            stop.set(true);
            producer.join(10_000);
        }
        assertEquals(null, failed.get());
        // Everything produced was handled (a record that could not be stored would hold the partition).
        var last = ChatRecords.sendWithOffset("chat.messages.v1", c.toString(),
                message(c, seq.get() + 1, UUID.randomUUID(), customer, "customer", "Bea", "last " + word).toString());
        io.securechat.transcript.retention.RetentionPurgeIT.awaitConsumed(last);

        // No key came back, no message or term was stored after the tombstone.
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM conversation_keys WHERE conversation_id = $1", c));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM attachment_keys WHERE conversation_id = $1", c));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM message_terms WHERE conversation_id = $1", c));
        assertEquals(storedWhenErased, Db.count(pool, "SELECT count(*) FROM messages WHERE conversation_id = $1", c),
                "no message stored after the erasure answered");
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM messages m JOIN conversation_tombstones t USING (conversation_id) "
                + "WHERE m.conversation_id = $1 AND m.stored_at >= t.at", c), "no message stored after the tombstone");
        assertTrue(storedWhenErased >= 30);

        // Nothing of it decrypts with any key the service holds.
        Aead kek = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(TranscriptTestStack.KEK_COPY),
                InsecureSecretKeyAccess.get()).getPrimitive(RegistryConfiguration.get(), Aead.class);
        List<Aead> dataKeys = new ArrayList<>();
        for (Row r : Db.query(pool, "SELECT conversation_id, wrapped_key FROM conversation_keys")) {
            try {
                dataKeys.add(TinkProtoKeysetFormat.parseEncryptedKeyset(r.getBuffer(1).getBytes(), kek,
                        TranscriptCipher.keyAad(r.getUUID(0))).getPrimitive(RegistryConfiguration.get(), Aead.class));
            } catch (java.security.GeneralSecurityException tamperedByAnotherTest) {
                // no usable key
            }
        }
        for (Row r : Db.query(pool, "SELECT conversation_id, seq, message_id, ciphertext FROM messages WHERE conversation_id = $1",
                c)) {
            byte[] ct = r.getBuffer("ciphertext").getBytes();
            byte[] aad = TranscriptCipher.messageAad(r.getUUID("conversation_id"), r.getLong("seq"), r.getUUID("message_id"));
            for (Aead k : dataKeys) {
                assertThrows(java.security.GeneralSecurityException.class, () -> k.decrypt(ct, aad));
            }
            assertThrows(java.security.GeneralSecurityException.class, () -> kek.decrypt(ct, aad));
        }
        as("compliance1").get("/api/v1/conversations/" + c + "/messages").then().statusCode(200)
                .body("erased", equalTo(true)).body("messages", hasSize(0));
        as("compliance1").get("/api/v1/search?q=" + word).then().statusCode(200).body("messages", hasSize(0));
    }

    static JsonNode find(JsonNode export, UUID id) {
        for (JsonNode c : export.path("conversations")) {
            if (id.toString().equals(c.path("conversationId").asText())) {
                return c;
            }
        }
        throw new AssertionError("conversation " + id + " not in the export");
    }
}
