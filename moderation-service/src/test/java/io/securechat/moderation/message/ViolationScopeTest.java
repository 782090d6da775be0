package io.securechat.moderation.message;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which blocks count against the sender's reputation (found by review: honest people got muted). */
class ViolationScopeTest {

    @Test
    void protectiveBlocksAreNotHostile() {
        assertTrue(MessageGate.notHostile("sensitive_data.card"), "their own card in a queue set to block");
        assertTrue(MessageGate.notHostile("impersonation.staff_name"), "a name like 'Agent Smith'");
    }

    @Test
    void attacksAre() {
        for (String reason : new String[] {"phishing", "phishing.ip_literal", "blocked_content", "spam.cross_conversation",
            "spam.link_flood", "malware"}) {
            assertFalse(MessageGate.notHostile(reason), reason);
        }
    }
}
