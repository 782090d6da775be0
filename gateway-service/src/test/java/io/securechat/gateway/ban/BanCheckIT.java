package io.securechat.gateway.ban;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.securechat.testsupport.ChatClient;
import io.securechat.testsupport.ForgedTokens;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import io.securechat.testsupport.LocalStack;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * Banned clients are refused before their socket opens, from moderation-service's Redis mirror
 * ({@code chat:ban:<kind>:<subject>}, written here as moderation-service would), and an IP-hash
 * ban on moderation.actions.v1 closes open sockets with 4403. This instance hashes addresses
 * with a key of its own, so the loopback address's hash bans nobody on the other gateway nodes.
 */
@QuarkusTest
@TestProfile(BanCheckIT.OwnKey.class)
class BanCheckIT {

    public static class OwnKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.gateway.fingerprint-key", KEY);
        }
    }

    static final String KEY = "ban-check-it-key";
    static final Duration WAIT = Duration.ofSeconds(15);

    @TestHTTPResource(value = "/", tls = true)
    URI base;

    @Inject
    RedisDataSource redis;

    private String https() {
        return "https://127.0.0.1:" + base.getPort();
    }

    private String ws() {
        return "wss://127.0.0.1:" + base.getPort() + "/ws/v1/chat";
    }

    private void ban(String subjectKind, String subject) {
        redis.value(String.class).set(BanCheck.PREFIX + subjectKind + ":" + subject, UUID.randomUUID().toString(),
                new SetArgs().px(60_000));
    }

    private void unban(String subjectKind, String subject) {
        redis.key().del(BanCheck.PREFIX + subjectKind + ":" + subject);
    }

    private JsonPath guestSession() {
        return given().relaxedHTTPSValidation().contentType("application/json")
                .body(Map.of("consent", Map.of("policyVersion", "2026-11-01", "accepted", true), "displayName", "Visitor"))
                .post(https() + "/api/v1/guest-sessions").then().statusCode(201).extract().jsonPath();
    }

    /** The refused upgrade's X-Chat-Error header (the upgrade refusal has no body). */
    private String upgradeError(String url, Map<String, String> headers) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(LocalStack.trustStore());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        WebSocket.Builder b = HttpClient.newBuilder().sslContext(ssl).build().newWebSocketBuilder().subprotocols("chat.v1");
        headers.forEach(b::header);
        try {
            b.buildAsync(URI.create(url), new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS).abort();
            return "upgraded";
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                assertEquals(403, h.getResponse().statusCode());
                return h.getResponse().headers().firstValue("X-Chat-Error").orElse("none");
            }
            throw e;
        }
    }

    @Test
    void aBannedGuestGetsNoTicketAndNoSocket() throws Exception {
        JsonPath guest = guestSession();
        String userId = guest.getString("userId");
        String guestToken = guest.getString("guestToken");
        ban("USER", userId);
        try {
            given().relaxedHTTPSValidation().header("X-Guest-Token", guestToken)
                    .post(https() + "/api/v1/guest-sessions/tickets")
                    .then().statusCode(403).body("code", equalTo("banned"));
            assertEquals("banned", upgradeError(ws() + "?ticket=" + guest.getString("ticket"),
                    Map.of("Origin", ChatClient.ORIGIN)));
        } finally {
            unban("USER", userId);
        }
        String ticket = given().relaxedHTTPSValidation().header("X-Guest-Token", guestToken)
                .post(https() + "/api/v1/guest-sessions/tickets").then().statusCode(200).extract().path("ticket");
        assertEquals(101, ChatClient.upgradeStatus(ws() + "?ticket=" + ticket, Map.of("Origin", ChatClient.ORIGIN)),
                "lifted: welcome again");
    }

    @Test
    void anIpHashBanRefusesTicketsGuestSessionsAndUpgrades() throws Exception {
        String hash = IpHash.of(KEY, "127.0.0.1");
        String token = Keycloak.token("customer1");
        ban("IP_HASH", hash);
        try {
            given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token).post(https() + "/api/v1/tickets")
                    .then().statusCode(403).body("code", equalTo("banned"));
            given().relaxedHTTPSValidation().contentType("application/json")
                    .body(Map.of("consent", Map.of("policyVersion", "2026-11-01", "accepted", true), "displayName", "V"))
                    .post(https() + "/api/v1/guest-sessions").then().statusCode(403).body("code", equalTo("banned"));
            assertEquals("banned", upgradeError(ws(), Map.of("Origin", ChatClient.ORIGIN, "Authorization", "Bearer " + token)));
        } finally {
            unban("IP_HASH", hash);
        }
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token).post(https() + "/api/v1/tickets")
                .then().statusCode(200);
    }

    @Test
    void anIpHashBanClosesAnOpenSocketWith4403() throws Exception {
        String hash = IpHash.of(KEY, "127.0.0.1");
        String token = Keycloak.token("customer1");
        String userId = ForgedTokens.claimsOf(token).getSubject();
        try (KafkaTap audit = KafkaTap.open("audit.events.v1"); ChatClient c = ChatClient.withToken(ws(), token)) {
            c.await("session.welcome");
            // The connect audit carries the hash a moderator needs (never the address).
            var opened = audit.await(r -> "connection.opened".equals(r.value().path("action").asText())
                    && userId.equals(r.value().path("actor").path("userId").asText())
                    && hash.equals(r.value().path("details").path("ipHash").asText()), WAIT);
            assertTrue(opened.value().path("resource").path("id").asText().contains(":"));
            var action = new ObjectMapper().createObjectNode();
            action.put("v", 1).put("actionId", UUID.randomUUID().toString()).put("action", "ban")
                    .put("subjectKind", "IP_HASH").put("subject", hash).put("reason", "it").putNull("expiresAt")
                    .put("occurredAt", Instant.now().toString());
            action.putObject("actor").put("userId", "it-moderator").putArray("roles").add("moderator");
            // This node's consumer group joins at start-up; repeat the (idempotent) action until it lands.
            int code = -1;
            for (int attempt = 0; attempt < 4 && code < 0; attempt++) {
                KafkaTap.produce("moderation.actions.v1", hash, action.toString());
                try {
                    code = c.awaitClose(WAIT);
                } catch (AssertionError | RuntimeException notYet) {
                    code = -1;
                }
            }
            assertEquals(4403, code);
            assertTrue(c.frames("session.terminated").stream().anyMatch(f -> "banned".equals(f.path("reason").asText())));
        }
    }

    @Test
    void otherSubjectsAreNotRefused() {
        String other = "someone-else-" + UUID.randomUUID();
        ban("USER", other);
        ban("IP_HASH", IpHash.of("another key", "127.0.0.1"));
        try {
            assertEquals(101, ChatClient.upgradeStatus(ws(), Map.of("Origin", ChatClient.ORIGIN,
                    "Authorization", "Bearer " + Keycloak.token("customer1"))));
        } finally {
            unban("USER", other);
            unban("IP_HASH", IpHash.of("another key", "127.0.0.1"));
        }
    }
}
