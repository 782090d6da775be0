package io.securechat.gateway.socket;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.testsupport.ChatClient;
import io.securechat.testsupport.ForgedTokens;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Protocol v1 on the real gateway, with the real Keycloak, Redis and Kafka. */
@QuarkusTest
class ChatSocketIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TestHTTPResource(value = "/", tls = true)
    URI base;

    private String ws() {
        return "wss://127.0.0.1:" + base.getPort() + "/ws/v1/chat";
    }

    private String https() {
        return "https://127.0.0.1:" + base.getPort();
    }

    private static String sub(String user) {
        try {
            return ForgedTokens.claimsOf(Keycloak.token(user)).getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bearerConnectionIsWelcomedAndAnswersPing() {
        try (ChatClient c = ChatClient.withToken(ws(), Keycloak.token("customer1"))) {
            JsonNode w = c.await("session.welcome");
            assertEquals("chat.v1", c.subprotocol());
            assertEquals(sub("customer1"), w.get("userId").asText());
            assertTrue(w.get("roles").toString().contains("customer"));
            assertEquals(25, w.get("heartbeatSec").asInt());
            assertTrue(Instant.parse(w.get("tokenExpiresAt").asText()).isAfter(Instant.now()));
            c.send(Map.of("type", "ping"));
            c.await("pong");
        }
    }

    @Test
    void upgradeNeedsAnAllowedOriginAndCredentials() {
        String token = Keycloak.token("customer1");
        assertEquals(403, ChatClient.upgradeStatus(ws(), Map.of("Authorization", "Bearer " + token,
                "Origin", "https://evil.example")));
        assertEquals(403, ChatClient.upgradeStatus(ws(), Map.of("Authorization", "Bearer " + token)));
        assertEquals(400, ChatClient.upgradeStatus(ws(), Map.of("Authorization", "Bearer " + token,
                "Origin", ChatClient.ORIGIN), false), "a client must offer chat.v1");
        assertEquals(401, ChatClient.upgradeStatus(ws(), Map.of("Origin", ChatClient.ORIGIN)));
        assertEquals(401, ChatClient.upgradeStatus(ws() + "?ticket=made-up", Map.of("Origin", ChatClient.ORIGIN)));
        assertEquals(401, ChatClient.upgradeStatus(ws(), Map.of("Origin", ChatClient.ORIGIN,
                "Authorization", "Bearer " + ForgedTokens.resignedWithForeignKey(token))));
    }

    @Test
    void aTicketOpensOneSocketOnly() {
        String ticket = given().relaxedHTTPSValidation().header("Authorization", "Bearer " + Keycloak.token("customer2"))
                .post(https() + "/api/v1/tickets").then().statusCode(200).extract().path("ticket");
        try (ChatClient c = ChatClient.withTicket(ws(), ticket)) {
            assertEquals(sub("customer2"), c.await("session.welcome").get("userId").asText());
        }
        assertEquals(401, ChatClient.upgradeStatus(ws() + "?ticket=" + ticket, Map.of("Origin", ChatClient.ORIGIN)));
    }

    @Test
    void guestsNeedConsentAndGetAGuestIdentity() {
        given().relaxedHTTPSValidation().contentType("application/json")
                .body(Map.of("displayName", "Visitor", "consent", Map.of("policyVersion", "2026-11-01", "accepted", false)))
                .post(https() + "/api/v1/guest-sessions").then().statusCode(400);
        given().relaxedHTTPSValidation().contentType("application/json").body(Map.of("displayName", "Visitor"))
                .post(https() + "/api/v1/guest-sessions").then().statusCode(400);
        given().relaxedHTTPSValidation().contentType("application/json")
                .body(Map.of("displayName", "Visitor", "consent", Map.of("policyVersion", "1999-01-01", "accepted", true)))
                .post(https() + "/api/v1/guest-sessions").then().statusCode(400);
        var session = given().relaxedHTTPSValidation().contentType("application/json")
                .body(Map.of("displayName", "Visitor", "consent", Map.of("policyVersion", "2026-11-01", "accepted", true)))
                .post(https() + "/api/v1/guest-sessions").then().statusCode(201).extract().jsonPath();
        String guestId = session.getString("userId");
        assertTrue(guestId.startsWith("guest:"));
        try (ChatClient c = ChatClient.withTicket(ws(), session.getString("ticket"))) {
            JsonNode w = c.await("session.welcome");
            assertEquals(guestId, w.get("userId").asText());
            assertEquals("Visitor", w.get("displayName").asText());
            assertEquals("[\"guest\"]", w.get("roles").toString());
        }
        // The guest token buys a new ticket after a reconnect; a wrong one does not.
        String again = given().relaxedHTTPSValidation().header("X-Guest-Token", session.getString("guestToken"))
                .post(https() + "/api/v1/guest-sessions/tickets").then().statusCode(200).extract().path("ticket");
        try (ChatClient c = ChatClient.withTicket(ws(), again)) {
            assertEquals(guestId, c.await("session.welcome").get("userId").asText());
        }
        given().relaxedHTTPSValidation().header("X-Guest-Token", "nope")
                .post(https() + "/api/v1/guest-sessions/tickets").then().statusCode(401);
    }

    @Test
    void badFramesGetErrorsAndTheSocketStaysOpen() {
        try (ChatClient c = ChatClient.withToken(ws(), Keycloak.token("customer1"))) {
            c.await("session.welcome");
            c.sendRaw("{not json");
            assertEquals("bad_request", c.await("error").get("code").asText());
            c.send(Map.of("type", "teleport"));
            JsonNode unknown = c.await("error", f -> f.get("code").asText().equals("unknown_type"), WAIT);
            assertEquals("teleport", unknown.get("ref").asText());
            c.send(Map.of("type", "message.send", "clientMsgId", "m1", "conversationId", "not-a-uuid", "text", "x"));
            c.await("error", f -> "m1".equals(f.path("ref").asText()), WAIT);
            for (String staffOnly : List.of("conversation.accept", "conversation.transfer", "agent.status")) {
                c.send(Map.of("type", staffOnly, "conversationId", UUID.randomUUID().toString(), "toQueue", "billing",
                        "status", "online"));
                assertEquals("forbidden", c.await("error", f -> staffOnly.equals(f.path("ref").asText()), WAIT)
                        .get("code").asText(), staffOnly);
            }
            c.send(Map.of("type", "conversation.subscribe", "conversationId", UUID.randomUUID().toString()));
            assertEquals("bad_request", c.await("error", f -> "conversation.subscribe".equals(f.path("ref").asText()), WAIT)
                    .get("code").asText(), "afterSeq is required");
            c.send(Map.of("type", "ping"));
            c.await("pong");
            assertFalse(c.isClosed());
        }
    }

    @Test
    void tooManyBadFramesClose4429() {
        try (ChatClient c = ChatClient.withToken(ws(), Keycloak.token("customer2"))) {
            c.await("session.welcome");
            for (int i = 0; i < 12; i++) {
                c.sendRaw("garbage " + i);
            }
            assertEquals(4429, c.awaitClose(WAIT));
            assertEquals("too_many_violations", c.await("session.terminated").get("reason").asText());
        }
    }

    @Test
    void oversizedFrameCloses1009() {
        try (ChatClient c = ChatClient.withToken(ws(), Keycloak.token("customer1"))) {
            c.await("session.welcome");
            c.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals(1009, c.awaitClose(WAIT));
        }
    }

    @Test
    void aMessageIsAckedAfterItIsInKafkaAndAResendIsNotDuplicated() {
        String conversationId = UUID.randomUUID().toString();
        try (KafkaTap inbound = KafkaTap.open("chat.inbound.v1");
                ChatClient c = ChatClient.withToken(ws(), Keycloak.token("customer1"))) {
            c.await("session.welcome");
            String clientMsgId = "c-" + UUID.randomUUID();
            Map<String, Object> send = Map.of("type", "message.send", "clientMsgId", clientMsgId, "conversationId",
                    conversationId, "text", "hello there");
            c.send(send);
            JsonNode ack = c.await("message.ack", f -> clientMsgId.equals(f.get("clientMsgId").asText()), WAIT);
            String messageId = ack.get("messageId").asText();
            var rec = inbound.await(r -> messageId.equals(r.value().path("messageId").asText()), WAIT);
            assertEquals(conversationId, rec.key());
            assertEquals("hello there", rec.value().get("text").asText());
            assertEquals(sub("customer1"), rec.value().at("/sender/userId").asText());
            assertEquals("gw-1", rec.value().get("gatewayNode").asText());
            assertEquals(7, UUID.fromString(messageId).version());

            c.send(send);
            JsonNode second = c.await("message.ack", f -> f != ack && clientMsgId.equals(f.get("clientMsgId").asText())
                    && c.frames("message.ack").size() >= 2, WAIT);
            assertEquals(messageId, second.get("messageId").asText(), "a resend gets the same messageId");
            List<KafkaTap.Record> copies = inbound.all(r -> conversationId.equals(r.key()), Duration.ofSeconds(2));
            assertEquals(1, copies.size(), "published once");
        }
    }

    @Test
    void startBecomesACommandWithTheActor() {
        try (KafkaTap commands = KafkaTap.open("chat.commands.v1");
                ChatClient c = ChatClient.withToken(ws(), Keycloak.token("customer2"))) {
            c.await("session.welcome");
            String ref = "ref-" + UUID.randomUUID();
            c.send(Map.of("type", "conversation.start", "clientRef", ref, "queue", "support"));
            var rec = commands.await(r -> ref.equals(r.value().path("clientRef").asText()), WAIT);
            assertEquals("start", rec.value().get("type").asText());
            assertEquals(rec.key(), rec.value().get("conversationId").asText());
            assertEquals(sub("customer2"), rec.value().at("/actor/userId").asText());
            assertEquals("support", rec.value().get("queue").asText());
        }
    }

    @Test
    void deliveriesReachTheRecipientOnceAndInOrder() {
        String me = sub("customer1");
        String conversationId = UUID.randomUUID().toString();
        try (ChatClient c = ChatClient.withToken(ws(), Keycloak.token("customer1"))) {
            c.await("session.welcome");
            c.send(Map.of("type", "conversation.subscribe", "conversationId", conversationId, "afterSeq", 0));
            c.send(Map.of("type", "ping"));
            c.await("pong"); // frames are handled in order: the subscribe is in place
            awaitDeliveryPath(c, me);
            // seq 2 arrives before seq 1 (a replay racing a live message): it waits for 1.
            deliver(me, conversationId, 2);
            deliver(me, conversationId, 1);
            deliver(me, conversationId, 1);
            deliver(me, conversationId, 3);
            c.await("message", f -> f.get("seq").asLong() == 3, WAIT);
            List<Long> seqs = c.frames("message").stream().filter(f -> conversationId.equals(f.get("conversationId").asText()))
                    .map(f -> f.get("seq").asLong()).toList();
            assertEquals(List.of(1L, 2L, 3L), seqs);
        }
    }

    /**
     * The node reads its delivery topic from the end once its consumer is assigned: until a
     * probe gets through, records written now could be skipped.
     */
    private static void awaitDeliveryPath(ChatClient c, String userId) {
        String probe = UUID.randomUUID().toString();
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            KafkaTap.produce("chat.delivery.v1.gw-1", probe, Map.of("v", 1, "recipients", List.of(userId),
                    "frame", Map.of("type", "typing", "conversationId", probe, "userId", "probe")));
            try {
                c.await("typing", f -> probe.equals(f.path("conversationId").asText()), Duration.ofMillis(700));
                return;
            } catch (AssertionError notYet) {
                // not assigned yet: try again
            }
        }
        throw new AssertionError("the node's delivery consumer never got a record");
    }

    private static void deliver(String userId, String conversationId, long seq) {
        KafkaTap.produce("chat.delivery.v1.gw-1", conversationId, Map.of("v", 1, "deliveryId", UUID.randomUUID().toString(),
                "recipients", List.of(userId), "frame", Map.of("type", "message", "conversationId", conversationId,
                        "seq", seq, "messageId", UUID.randomUUID().toString(), "text", "m" + seq)));
    }

    @Test
    void aBanClosesTheUsersSocketsWith4403() {
        var session = given().relaxedHTTPSValidation().contentType("application/json")
                .body(Map.of("displayName", "Troll", "consent", Map.of("policyVersion", "2026-11-01", "accepted", true)))
                .post(https() + "/api/v1/guest-sessions").then().statusCode(201).extract().jsonPath();
        String guest = session.getString("userId");
        try (ChatClient c = ChatClient.withTicket(ws(), session.getString("ticket"))) {
            c.await("session.welcome");
            // The node reads moderation actions from the end: repeat the (idempotent) ban until it lands.
            long end = System.nanoTime() + WAIT.toNanos();
            while (!c.isClosed() && System.nanoTime() < end) {
                KafkaTap.produce("moderation.actions.v1", guest, Map.of("v", 1, "actionId", UUID.randomUUID().toString(),
                        "action", "ban", "subjectKind", "USER", "subject", guest, "reason", "test",
                        "occurredAt", Instant.now().toString()));
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            assertEquals(4403, c.awaitClose(WAIT));
            assertEquals("banned", c.await("session.terminated").get("reason").asText());
        }
    }

    @Test
    void anExpiringTokenCloses4401UnlessRefreshed() throws Exception {
        String secret = Keycloak.createTestClient("gw-it-short", true, 10);
        String longToken = Keycloak.login("customer2").get("access_token").asText();
        try {
            String shortToken = Keycloak.login("gw-it-short", secret, "customer2").get("access_token").asText();
            try (ChatClient expiring = ChatClient.withToken(ws(), shortToken);
                    ChatClient refreshing = ChatClient.withToken(ws(), shortToken)) {
                expiring.await("session.welcome");
                refreshing.await("session.welcome");
                // Refresh with a token that outlives the first, issued by the chat-service client.
                refreshing.send(Map.of("type", "auth.refresh", "token", longToken));
                refreshing.await("session.welcome", f -> refreshing.frames("session.welcome").size() == 2, WAIT);
                JsonNode renewed = refreshing.frames("session.welcome").get(1);
                Instant firstExpiry = Instant.parse(refreshing.frames("session.welcome").get(0).get("tokenExpiresAt").asText());
                assertTrue(Instant.parse(renewed.get("tokenExpiresAt").asText()).isAfter(firstExpiry.plusSeconds(60)));
                assertEquals(4401, expiring.awaitClose(Duration.ofSeconds(20)));
                assertEquals("token_expired", expiring.await("session.terminated").get("reason").asText());
                // Past the sweep that closed the other socket: this one is still served.
                Thread.sleep(2500);
                refreshing.send(Map.of("type", "ping"));
                refreshing.await("pong");
                assertFalse(refreshing.isClosed(), "the refreshed socket outlives the first token");
                // The expired token no longer opens a socket.
                assertEquals(401, ChatClient.upgradeStatus(ws(), Map.of("Origin", ChatClient.ORIGIN,
                        "Authorization", "Bearer " + shortToken)));
                // A token of someone else is refused and counted as a violation.
                refreshing.send(Map.of("type", "auth.refresh", "token", Keycloak.token("customer1")));
                assertEquals("token_expired", refreshing.await("error").get("code").asText());
            }
        } finally {
            Keycloak.deleteTestClient("gw-it-short");
        }
    }
}
