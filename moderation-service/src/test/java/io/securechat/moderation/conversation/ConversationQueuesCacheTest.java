package io.securechat.moderation.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConversationQueuesCacheTest {

    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L);
    private final ConversationQueues.Cache cache = new ConversationQueues.Cache(2, Duration.ofSeconds(10), nanos::get);

    @Test
    void entriesExpireAfterTheTtl() {
        cache.put("c1", "support");
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertEquals("support", cache.get("c1"));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertNull(cache.get("c1"));
        assertEquals(0, cache.size());
    }

    @Test
    void theLeastRecentlyUsedEntryGoesFirst() {
        cache.put("c1", "support");
        cache.put("c2", "billing");
        cache.get("c1");
        cache.put("c3", "sales");
        assertEquals("support", cache.get("c1"));
        assertNull(cache.get("c2"));
        assertEquals("sales", cache.get("c3"));
        assertEquals(2, cache.size());
    }

    @Test
    void aZeroTtlCachesNothingAndRemoveForgets() {
        var none = new ConversationQueues.Cache(10, Duration.ZERO, nanos::get);
        none.put("c1", "support");
        assertNull(none.get("c1"));
        cache.put("c1", "support");
        cache.remove("c1");
        assertNull(cache.get("c1"));
    }
}
