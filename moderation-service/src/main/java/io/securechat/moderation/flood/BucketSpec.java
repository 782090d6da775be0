package io.securechat.moderation.flood;

import java.time.Duration;

/** A token bucket's shape: a burst of {@code capacity} messages, then {@code refillPerSecond} per second. */
public record BucketSpec(int capacity, double refillPerSecond) {

    public BucketSpec {
        if (capacity < 1 || !(refillPerSecond > 0) || Double.isInfinite(refillPerSecond)) {
            throw new IllegalArgumentException(
                    "a token bucket needs capacity >= 1 and a finite refill > 0, not " + capacity + ", " + refillPerSecond);
        }
    }

    /**
     * How long an untouched bucket is kept: the time an empty bucket takes to fill, plus a
     * second. By then a missing bucket and a full one are the same thing, so Redis may drop it.
     */
    public Duration idleExpiry() {
        return Duration.ofMillis((long) Math.ceil(capacity / refillPerSecond * 1000) + 1000);
    }
}
