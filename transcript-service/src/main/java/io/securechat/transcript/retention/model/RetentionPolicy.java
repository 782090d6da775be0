package io.securechat.transcript.retention.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A queue's retention: {@code P<n>D} (1 to 36500 days) or {@code INDEFINITE}. A conversation is
 * past it when it was closed more than n days (n x 24 h) ago; open conversations and INDEFINITE
 * never are. Pure; unit-tested in {@code RetentionPolicyTest}.
 */
public final class RetentionPolicy {

    public static final String INDEFINITE = "INDEFINITE";
    public static final long MAX_DAYS = 36_500;
    private static final Pattern DAYS = Pattern.compile("P([1-9][0-9]{0,4})D");

    private RetentionPolicy() {}

    /** The policy in its stored form, or empty when it is not one. */
    public static Optional<String> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String p = raw.strip();
        if (INDEFINITE.equals(p)) {
            return Optional.of(p);
        }
        var m = DAYS.matcher(p);
        if (!m.matches() || Long.parseLong(m.group(1)) > MAX_DAYS) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /** How long a closed conversation is kept; empty for INDEFINITE (or an unknown policy: kept). */
    public static Optional<Duration> keep(String policy) {
        if (policy == null) {
            return Optional.empty();
        }
        var m = DAYS.matcher(policy);
        return m.matches() ? Optional.of(Duration.ofDays(Long.parseLong(m.group(1)))) : Optional.empty();
    }

    /** Whether a conversation closed at {@code closedAt} is past its queue's policy at {@code now}. */
    public static boolean expired(String policy, Instant closedAt, Instant now) {
        if (closedAt == null) {
            return false;
        }
        return keep(policy).map(d -> closedAt.plus(d).isBefore(now)).orElse(false);
    }
}
