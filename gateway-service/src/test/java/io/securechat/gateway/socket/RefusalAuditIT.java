package io.securechat.gateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.securechat.gateway.ban.IpHash;
import io.securechat.testsupport.ChatClient;
import io.securechat.testsupport.ForgedTokens;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Token failures at the edge are audited ({@code connection.refused}, reason code, status, IP
 * hash; never the token) and throttled: a flood of forged tokens from one address gives one
 * record at once and one counted summary when the window closes. This instance hashes addresses
 * with a key of its own, so its records are told apart from every other gateway's, and uses a
 * 3-second window.
 */
@QuarkusTest
@TestProfile(RefusalAuditIT.ShortWindow.class)
class RefusalAuditIT {

    public static class ShortWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.gateway.fingerprint-key", KEY, "chat.gateway.refusal-audit-window", "PT3S");
        }
    }

    static final String KEY = "refusal-audit-it-key";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource(value = "/", tls = true)
    URI base;

    private String ws() {
        return "wss://127.0.0.1:" + base.getPort() + "/ws/v1/chat";
    }

    @Test
    void aFloodOfForgedTokensGivesOneRecordAndOneCountedSummary() {
        String hash = IpHash.of(KEY, "127.0.0.1");
        String forged = ForgedTokens.resignedWithForeignKey(Keycloak.token("customer1"));
        String signature = forged.substring(forged.lastIndexOf('.') + 1);
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            for (int i = 0; i < 20; i++) {
                assertEquals(401, ChatClient.upgradeStatus(ws(), Map.of("Origin", ChatClient.ORIGIN,
                        "Authorization", "Bearer " + forged)));
            }
            JsonNode summary = audit.await(r -> refusal(r, hash) && r.value().path("details").has("suppressed"), WAIT)
                    .value();
            // Every window the flood opened has closed (3 s, swept every second) and been summarised.
            List<KafkaTap.Record> all = audit.all(r -> refusal(r, hash), Duration.ofSeconds(6));
            List<KafkaTap.Record> single = all.stream().filter(r -> !r.value().path("details").has("suppressed")).toList();
            assertTrue(single.size() < 20, "throttled: " + single.size() + " single records for 20 refusals");
            long suppressed = all.stream().mapToLong(r -> r.value().path("details").path("suppressed").asLong(0)).sum();
            assertEquals(20, single.size() + suppressed, "every refusal is accounted for, once");
            assertEquals(401, summary.path("details").path("status").asInt());
            assertEquals("PT3S", summary.path("details").path("window").asText());
            for (KafkaTap.Record r : all) {
                JsonNode e = r.value();
                assertEquals("gateway-service", e.path("service").asText());
                assertEquals("DENIED", e.path("outcome").asText());
                assertEquals("endpoint", e.path("resource").path("type").asText());
                assertEquals("/ws/v1/chat", e.path("resource").path("id").asText());
                assertTrue(e.path("actor").path("userId").isNull(), "a forged token names nobody");
                assertFalse(e.toString().contains(signature), "never the token");
                assertFalse(e.toString().contains("127.0.0.1"), "never the address");
            }
        }
    }

    @Test
    void aMadeUpTicketIsAuditedWithItsReason() {
        String hash = IpHash.of(KEY, "127.0.0.1");
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            assertEquals(401, ChatClient.upgradeStatus(ws() + "?ticket=made-up-ticket-value",
                    Map.of("Origin", ChatClient.ORIGIN)));
            JsonNode e = audit.await(r -> "connection.refused".equals(r.value().path("action").asText())
                    && "ticket".equals(r.value().path("details").path("reason").asText())
                    && hash.equals(r.value().path("details").path("ipHash").asText()), Duration.ofSeconds(10)).value();
            assertFalse(e.toString().contains("made-up-ticket-value"), "never the ticket");
        }
    }

    private static boolean refusal(KafkaTap.Record r, String hash) {
        JsonNode v = r.value();
        return "connection.refused".equals(v.path("action").asText())
                && "token".equals(v.path("details").path("reason").asText())
                && hash.equals(v.path("details").path("ipHash").asText());
    }
}
