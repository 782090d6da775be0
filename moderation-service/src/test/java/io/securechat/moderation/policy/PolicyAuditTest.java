package io.securechat.moderation.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.moderation.message.AuditEvent;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The start-up {@code policy.loaded} record: a digest of the settings, never their values. */
class PolicyAuditTest {

    private static SortedMap<String, String> settings() {
        SortedMap<String, String> s = new TreeMap<>();
        s.put("chat.moderation.policies", "bans, flood,phishing");
        s.put("chat.policy.sensitive-data.patterns.\"member_id\"", "\\bACM-\\d{4}\\b");
        s.put("chat.policy.queues.\"billing\".sensitive-data.action", "block");
        s.put("chat.policy.queues.sales.disabled", "spam");
        s.put("chat.reputation.ban-threshold", "12");
        return s;
    }

    @Test
    void theDigestNamesTheSettingsAndChangesWithAnyOfThem() {
        String d = PolicyAudit.digest(settings());
        assertTrue(d.matches("sha256:[0-9a-f]{64}"), d);
        assertEquals(d, PolicyAudit.digest(settings()), "stable");
        SortedMap<String, String> changed = settings();
        changed.put("chat.reputation.ban-threshold", "13");
        assertNotEquals(d, PolicyAudit.digest(changed));
        SortedMap<String, String> added = settings();
        added.put("chat.policy.queues.\"vip\".disabled", "spam");
        assertNotEquals(d, PolicyAudit.digest(added));
    }

    @Test
    void theRecordHoldsIdsAndCountsNeverValues() {
        AuditEvent e = PolicyAudit.event(settings());
        assertEquals("policy.loaded", e.action());
        assertEquals("policy", e.resource().type());
        assertEquals("moderation", e.resource().id());
        assertEquals("system:moderation-service", e.actor().userId());
        assertEquals("SUCCESS", e.outcome());
        assertEquals("moderation-service", e.service());
        assertEquals(List.of("bans", "flood", "phishing"), e.details().get("policies"));
        assertEquals(List.of("billing", "sales"), e.details().get("queues"));
        assertEquals(5, e.details().get("settings"));
        assertEquals(PolicyAudit.digest(settings()), e.details().get("digest"));
        assertFalse(e.details().toString().contains("ACM-"), "patterns stay out of the trail");
        assertFalse(e.details().toString().contains("block"), "values stay out of the trail");
    }
}
