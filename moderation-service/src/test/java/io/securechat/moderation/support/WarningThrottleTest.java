package io.securechat.moderation.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WarningThrottleTest {

    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L);
    private final WarningThrottle throttle = new WarningThrottle(Duration.ofSeconds(30), nanos::get);

    @Test
    void oneWarningPerInterval() {
        assertTrue(throttle.permit());
        assertFalse(throttle.permit());
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertFalse(throttle.permit());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(throttle.permit());
        assertFalse(throttle.permit());
    }

    @Test
    void survivesTheNanoClockWrappingAround() {
        nanos.set(Long.MAX_VALUE - 1_000);
        WarningThrottle nearWrap = new WarningThrottle(Duration.ofSeconds(30), nanos::get);
        assertTrue(nearWrap.permit());
        nanos.set(Long.MIN_VALUE + Duration.ofSeconds(10).toNanos());
        assertFalse(nearWrap.permit());
        nanos.set(Long.MIN_VALUE + Duration.ofSeconds(31).toNanos());
        assertTrue(nearWrap.permit());
    }
}
