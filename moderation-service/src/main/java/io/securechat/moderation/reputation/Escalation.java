package io.securechat.moderation.reputation;

import io.securechat.moderation.ban.Ban;

/**
 * The arithmetic of reputation, kept apart from Redis so it can be checked on its own:
 * exponential decay and the thresholds. The Lua script of {@link ReputationScores} computes the
 * same decay on Redis' clock.
 */
public final class Escalation {

    private Escalation() {}

    /** {@code score · 2^(−elapsed / halfLife)}: what is left of a score after {@code elapsedMillis}. */
    public static double decay(double score, long elapsedMillis, long halfLifeMillis) {
        if (elapsedMillis <= 0) {
            return score;
        }
        return score * Math.pow(2, -(double) elapsedMillis / halfLifeMillis);
    }

    /** What a score calls for: {@code BAN}, {@code MUTE} or null (nothing). */
    public static String action(double score, double muteThreshold, double banThreshold) {
        if (score >= banThreshold) {
            return Ban.BAN;
        }
        return score >= muteThreshold ? Ban.MUTE : null;
    }
}
