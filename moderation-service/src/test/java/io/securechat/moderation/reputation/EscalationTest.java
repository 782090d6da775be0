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
    void theDefaultsMuteAtTheThirdBlockedMessageAndBanAtTheSeventh() {
        double weight = 2; // blocked_content
        double score = 0;
        String[] expected = {null, null, "MUTE", "MUTE", "MUTE", "MUTE", "BAN"};
        for (int i = 0; i < expected.length; i++) {
            // Violations a minute apart decay a little in between.
            score = Escalation.decay(score, 60_000, HOUR) + weight;
            assertEquals(expected[i], Escalation.action(score, 5, 12), "after violation " + (i + 1) + ", score " + score);
        }
    }

    @Test
    void belowTheMuteThresholdNothingHappens() {
        assertNull(Escalation.action(4.99, 5, 12));
        assertEquals("MUTE", Escalation.action(5, 5, 12));
        assertEquals("BAN", Escalation.action(12, 5, 12));
    }
}
