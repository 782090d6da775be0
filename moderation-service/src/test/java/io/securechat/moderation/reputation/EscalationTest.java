package io.securechat.moderation.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The reputation arithmetic: exponential decay by half-life, and the thresholds. */
class EscalationTest {

    private static final long HOUR = 3_600_000L;

    @Test
    void aScoreHalvesEveryHalfLife() {
        assertEquals(8.0, Escalation.decay(8, 0, HOUR), 1e-9);
        assertEquals(4.0, Escalation.decay(8, HOUR, HOUR), 1e-9);
        assertEquals(2.0, Escalation.decay(8, 2 * HOUR, HOUR), 1e-9);
        assertEquals(8 / Math.sqrt(2), Escalation.decay(8, HOUR / 2, HOUR), 1e-9);
        assertEquals(8.0, Escalation.decay(8, -5, HOUR), 1e-9, "a clock step back decays nothing");
    }

    @Test
    void theDefaultsMuteAtTheFifthBlockedMessageAndBanAtTheThirteenth() {
        double weight = 2; // blocked_content
        double score = 0;
        for (int i = 1; i <= 14; i++) {
            // Violations a minute apart decay a little in between.
            score = Escalation.decay(score, 60_000, HOUR) + weight;
            String expected = i < 5 ? null : i < 13 ? "MUTE" : "BAN";
            assertEquals(expected, Escalation.action(score, 9, 24), "after violation " + i + ", score " + score);
        }
    }

    @Test
    void aPhishingLinkAndAMalwareUploadAloneDoNotMuteTwoMalwareUploadsDo() {
        assertNull(Escalation.action(Escalation.decay(3, 10_000, HOUR) + 5, 9, 24));
        assertEquals("MUTE", Escalation.action(Escalation.decay(5, 10_000, HOUR) + 5, 9, 24));
        double five = 0;
        for (int i = 0; i < 5; i++) {
            five = Escalation.decay(five, 10_000, HOUR) + 5;
        }
        assertEquals("BAN", Escalation.action(five, 9, 24), "five malware uploads in a minute: " + five);
    }

    @Test
    void belowTheMuteThresholdNothingHappens() {
        assertNull(Escalation.action(8.99, 9, 24));
        assertEquals("MUTE", Escalation.action(9, 9, 24));
        assertEquals("BAN", Escalation.action(24, 9, 24));
    }
}
