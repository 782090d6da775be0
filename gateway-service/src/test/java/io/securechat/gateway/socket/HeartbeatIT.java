package io.securechat.gateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.securechat.testsupport.ChatClient;
import io.securechat.testsupport.Keycloak;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A socket that stops sending is closed after two missed heartbeats; one that pings stays. */
@QuarkusTest
@TestProfile(HeartbeatIT.ShortHeartbeat.class)
class HeartbeatIT {

    public static class ShortHeartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.gateway.heartbeat", "PT2S");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URI base;

    @Test
    void silentSocketsAreClosedAndPingingOnesStay() throws Exception {
        String ws = "wss://127.0.0.1:" + base.getPort() + "/ws/v1/chat";
        try (ChatClient silent = ChatClient.withToken(ws, Keycloak.token("customer1"));
                ChatClient alive = ChatClient.withToken(ws, Keycloak.token("customer2"))) {
            assertEquals(2, silent.await("session.welcome").get("heartbeatSec").asInt());
            alive.await("session.welcome");
            for (int i = 0; i < 6; i++) {
                alive.send(Map.of("type", "ping"));
                Thread.sleep(1000);
            }
            assertEquals(1000, silent.awaitClose(Duration.ofSeconds(10)));
            assertEquals("heartbeat_timeout", silent.await("session.terminated").get("reason").asText());
            assertFalse(alive.isClosed(), "a socket that pings within its heartbeat stays open");
        }
    }
}
