package io.securechat.moderation.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one warning through per interval. A dependency that is down fails for every message;
 * the log gets a line now and then and the metric counts them all.
 */
public final class WarningThrottle {

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAllowed;

    public WarningThrottle(Duration interval) {
        this(interval, System::nanoTime);
    }

    WarningThrottle(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.nextAllowed = new AtomicLong(nanoClock.getAsLong());
    }

    /** True for the first call and then at most once per interval; safe across threads. */
    public boolean permit() {
        long now = nanoClock.getAsLong();
        long next = nextAllowed.get();
        // Compared as a difference: nanoTime may be negative and wrap.
        return now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos);
    }
}
