package io.securechat.gateway.socket;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.securechat.testsupport.ChatClient;
import io.securechat.testsupport.Keycloak;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edge's limits: sockets per user per node, and guest sessions per client address. */
@QuarkusTest
@TestProfile(GatewayLimitsIT.TightLimits.class)
class GatewayLimitsIT {

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.gateway.max-sockets-per-user", "2", "chat.gateway.guest-sessions-per-minute", "3");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URI base;

    @Test
    void aUserGetsAtMostTheConfiguredSocketsOnANode() {
        String ws = "wss://127.0.0.1:" + base.getPort() + "/ws/v1/chat";
        String token = Keycloak.token("customer1");
        try (ChatClient one = ChatClient.withToken(ws, token); ChatClient two = ChatClient.withToken(ws, token)) {
            one.await("session.welcome");
            two.await("session.welcome");
            assertEquals(429, ChatClient.upgradeStatus(ws, Map.of("Authorization", "Bearer " + token,
                    "Origin", ChatClient.ORIGIN)));
            assertEquals(101, ChatClient.upgradeStatus(ws, Map.of("Authorization", "Bearer " + Keycloak.token("customer2"),
                    "Origin", ChatClient.ORIGIN)), "another user is not affected");
        }
    }

    @Test
    void guestSessionsFromOneAddressAreRateLimited() {
        // Other tests may have used part of this minute's allowance: count until refused.
        int created = 0;
        int status = 0;
        for (int i = 0; i < 5 && status != 429; i++) {
            status = given().relaxedHTTPSValidation().contentType("application/json")
                    .body(Map.of("displayName", "Guest " + i, "consent", Map.of("policyVersion", "2026-11-01", "accepted", true)))
                    .post("https://127.0.0.1:" + base.getPort() + "/api/v1/guest-sessions").then().extract().statusCode();
            if (status == 201) {
                created++;
            }
        }
        assertEquals(429, status, "the fourth session of the minute at the latest is refused");
        assertTrue(created <= 3, "no more than the allowance was created: " + created);
    }
}
