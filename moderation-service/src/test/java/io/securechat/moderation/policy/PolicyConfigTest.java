package io.securechat.moderation.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The keys operators write, as the service maps them. */
class PolicyConfigTest {

    @Test
    void defaults() {
        PolicyConfig c = TestConfig.defaults();
        assertEquals(PolicyConfig.Action.REDACT, c.sensitiveData().action());
        assertEquals(Map.of(), c.sensitiveData().patterns());
        assertEquals(List.of("acme.example"), c.phishing().protectedDomains());
        assertEquals(Optional.empty(), c.phishing().blockedDomains());
        assertEquals(3, c.spam().crossConversation().conversations());
        assertEquals(Duration.ofMinutes(10), c.spam().crossConversation().window());
        assertEquals(5, c.spam().links().max());
        assertEquals(4, c.spam().repeat().times());
        assertEquals(List.of("Acme"), c.impersonation().companyNames());
        assertEquals(Duration.ofSeconds(10), c.queueLookup().cacheTtl());
        assertEquals(Map.of(), c.queues());
    }

    @Test
    void perQueueSettingsWithQuotedQueueNames() {
        PolicyConfig c = TestConfig.policies(Map.of(
                "chat.policy.queues.\"billing\".sensitive-data.action", "block",
                "chat.policy.queues.\"sales.eu\".disabled", "spam,phishing"));
        assertEquals(Set.of("billing", "sales.eu"), c.queues().keySet());
        assertEquals(Optional.of(PolicyConfig.Action.BLOCK), c.queues().get("billing").sensitiveData().action());
        assertTrue(c.queues().get("billing").disabled().isEmpty());
        assertEquals(Optional.of(Set.of("spam", "phishing")), c.queues().get("sales.eu").disabled());
        assertTrue(c.queues().get("sales.eu").sensitiveData().action().isEmpty());
    }
}
