package io.securechat.moderation.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BucketSpecTest {

    @Test
    void anIdleBucketIsKeptUntilItWouldBeFullAgainPlusASecond() {
        assertEquals(Duration.ofMillis(6000), new BucketSpec(10, 2).idleExpiry());
        assertEquals(Duration.ofMillis(6000), new BucketSpec(20, 4).idleExpiry());
        // 1 / 0.3 s = 3333.3 ms, rounded up: an expiry a little late is harmless, early is not.
        assertEquals(Duration.ofMillis(4334), new BucketSpec(1, 0.3).idleExpiry());
    }

    @Test
    void aBucketThatCouldNeverPassOrNeverRefillIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BucketSpec(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new BucketSpec(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new BucketSpec(10, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new BucketSpec(10, Double.POSITIVE_INFINITY));
    }
}
