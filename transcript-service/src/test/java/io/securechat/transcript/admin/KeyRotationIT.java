package io.securechat.transcript.admin;

import static io.restassured.RestAssured.given;
import static io.securechat.transcript.testing.ChatRecords.conversation;
import static io.securechat.transcript.testing.ChatRecords.message;
import static io.securechat.transcript.testing.ChatRecords.sendConversation;
import static io.securechat.transcript.testing.ChatRecords.sendMessage;
import static io.securechat.transcript.testing.ChatRecords.sub;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import io.securechat.testsupport.LocalStack;
import io.securechat.transcript.admin.service.KeyRotation;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.keys.KeyEncryptionKeys;
import io.securechat.transcript.testing.ChatRecords;
import io.securechat.transcript.testing.Db;
import io.securechat.transcript.testing.TranscriptTestStack;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KEK rotation while messages keep arriving. It rotates the test copy of the keyset
 * ({@link TranscriptTestStack#KEK_COPY}), never the stack's own file.
 */
@QuarkusTest
@QuarkusTestResource(TranscriptTestStack.class)
class KeyRotationIT {

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @Inject
    KeyEncryptionKeys kek;

    @Inject
    KeyRotation rotation;

    @BeforeEach
    void schemaMigrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    @Test
    void onlyAdminsRotate() {
        for (String user : List.of("customer1", "agent1", "supervisor1", "compliance1", "moderator1")) {
            given().header("Authorization", "Bearer " + Keycloak.token(user)).post("/api/v1/admin/keys/rotate")
                    .then().statusCode(403);
        }
        given().post("/api/v1/admin/keys/rotate").then().statusCode(401);
    }

    @Test
    void aRotationWhileMessagesArriveLeavesEveryMessageReadableAndEveryKeyWrappedWithTheNewPrimary() throws Exception {
        String realKek = Files.readString(LocalStack.runDir().resolve("keys/transcript-kek.json"));
        // Conversations stored before the rotation.
        List<UUID> conversations = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            UUID id = ChatRecords.id();
            conversations.add(id);
            sendConversation(conversation("started", id, sub("customer1"), null));
            sendMessage(message(id, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "before " + i));
        }
        for (UUID id : conversations) {
            Db.awaitMessages(pool, id, 1);
        }
        long before = kek.current().primaryKeyId();

        // A producer keeps sending, into old and new conversations, during the rotation.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sentDuring = new AtomicInteger();
        List<UUID> during = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread producer = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                UUID fresh = ChatRecords.id();
                during.add(fresh);
                sendConversation(conversation("started", fresh, sub("customer1"), null));
                sendMessage(message(fresh, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "during " + n));
                UUID old = conversations.get(n % conversations.size());
                // seq 2 of an old conversation, once each
                if (n < conversations.size()) {
                    sendMessage(message(old, 2, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "during old " + n));
                }
                sentDuring.incrementAndGet();
                n++;
            }
        });
        producer.start();
        Thread.sleep(300);
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            JsonNode result = ChatRecords.JSON.readTree(given()
                    .header("Authorization", "Bearer " + Keycloak.token("admin1")).post("/api/v1/admin/keys/rotate")
                    .then().statusCode(200).extract().asString());
            Thread.sleep(500);
            stop.set(true);
            producer.join();

            long after = result.get("kekKeyId").asLong();
            assertNotEquals(before, after);
            assertEquals(before, result.get("previousKekKeyId").asLong());
            assertEquals(after, kek.current().primaryKeyId());
            assertTrue(kek.current().knows(before), "old keys stay in the keyset");
            assertTrue(result.get("rewrapped").asLong() >= 30, result.toString());
            assertEquals(0, result.get("remaining").asLong(), result.toString());
            assertEquals(0, result.get("failed").asLong(), result.toString());
            assertTrue(result.has("tookMs"));
            var r = audit.await(x -> "key.rotated".equals(x.value().path("action").asText())
                    && x.value().path("details").path("kekKeyId").asLong() == after, Duration.ofSeconds(20));
            assertEquals("SUCCESS", r.value().path("outcome").asText());
            assertEquals(sub("admin1"), r.value().path("actor").path("userId").asText());
        }
        assertTrue(sentDuring.get() > 0);

        // Every message, old and new, decrypts.
        for (UUID id : conversations) {
            Db.awaitMessages(pool, id, 2);
        }
        for (UUID id : during) {
            Db.awaitMessages(pool, id, 1);
        }
        for (UUID id : conversations) {
            given().header("Authorization", "Bearer " + Keycloak.token("customer1"))
                    .get("/api/v1/conversations/" + id + "/messages").then().statusCode(200)
                    .body("messages", hasSize(2))
                    .body("messages.findAll { it.integrityError }", hasSize(0));
        }
        for (UUID id : during) {
            given().header("Authorization", "Bearer " + Keycloak.token("customer1"))
                    .get("/api/v1/conversations/" + id + "/messages").then().statusCode(200)
                    .body("messages[0].integrityError", org.hamcrest.Matchers.nullValue())
                    .body("messages[0].text", org.hamcrest.Matchers.startsWith("during"));
        }
        // Data keys created during the rotation with the old primary were caught by a later pass, or
        // created with the new one: none is left with an older key.
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM conversation_keys WHERE kek_key_id <> $1", kek.current().primaryKeyId()));
        // The stack's own key file was not touched.
        assertEquals(realKek, Files.readString(LocalStack.runDir().resolve("keys/transcript-kek.json")));
        assertNotEquals(realKek, Files.readString(TranscriptTestStack.KEK_COPY));
    }

    @Test
    void aSecondRotationWhileOneRunsIsRefused() throws Throwable {
        Reader admin = new Reader(sub("admin1"), List.of("admin"));
        var first = rotation.rotate(admin);
        var second = rotation.rotate(admin);
        Throwable refused = assertThrows(Throwable.class, () -> VertxContextSupport.subscribeAndAwait(() -> second));
        while (!(refused instanceof KeyEncryptionKeys.RotationRefused) && refused.getCause() != null) {
            refused = refused.getCause();
        }
        assertTrue(refused instanceof KeyEncryptionKeys.RotationRefused, refused.toString());
        assertEquals("a key rotation is already running", refused.getMessage());
        assertEquals(0, VertxContextSupport.subscribeAndAwait(() -> first).remaining());
        // and through the API: 409 with the conflict code while one runs (held by the unsubscribed first call)
        var held = rotation.rotate(admin);
        given().header("Authorization", "Bearer " + Keycloak.token("admin1")).post("/api/v1/admin/keys/rotate")
                .then().statusCode(409).body("code", equalTo("conflict"))
                .body("message", equalTo("a key rotation is already running"));
        VertxContextSupport.subscribeAndAwait(() -> held);
    }
}
