package io.securechat.moderation.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.testsupport.KafkaTap;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The {@code policy.loaded} record every start writes (written here again by the same method,
 * as the start-up one went out before the test could listen) reaches audit.events.v1 with the
 * digest of the settings this instance runs with and the test profile's per-queue settings.
 */
@QuarkusTest
class PolicyAuditIT {

    @Inject
    PolicyAudit policyAudit;

    @Test
    void theRunningPolicyIsAuditedByItsDigest() {
        String digest = PolicyAudit.digest(PolicyAudit.settings(ConfigProvider.getConfig()));
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            policyAudit.announce().await().atMost(Duration.ofSeconds(15));
            KafkaTap.Record r = audit.await(x -> "policy.loaded".equals(x.value().path("action").asText())
                    && digest.equals(x.value().path("details").path("digest").asText()), Duration.ofSeconds(15));
            JsonNode e = r.value();
            assertEquals("policy:moderation", r.key());
            assertEquals("moderation-service", e.path("service").asText());
            assertEquals("system:moderation-service", e.path("actor").path("userId").asText());
            assertEquals("SUCCESS", e.path("outcome").asText());
            assertTrue(e.path("details").path("policies").toString().contains("phishing"), e.toString());
            assertTrue(e.path("details").path("queues").toString().contains("it-billing"), e.toString());
            assertTrue(e.path("details").path("queues").toString().contains("it-sales"), e.toString());
        }
    }
}
