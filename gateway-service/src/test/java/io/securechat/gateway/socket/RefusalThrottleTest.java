package io.securechat.gateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.gateway.identity.ChatPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One audited refusal per reason, source and user per window; the rest counted into one summary. */
class RefusalThrottleTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void theFirstRefusalOfAWindowIsAuditedAndTheRestComeBackAsOneCountedSummary() {
        RefusalThrottle t = new RefusalThrottle(Duration.ofMinutes(1), 100);
        assertTrue(t.first("token", 401, "h1", null, T0));
        for (int i = 1; i < 20; i++) {
            assertFalse(t.first("token", 401, "h1", null, T0.plusSeconds(i)), "refusal " + i + " is only counted");
        }
        assertEquals(List.of(), t.expired(T0.plusSeconds(59)), "the window is still open");
        List<RefusalThrottle.Summary> closed = t.expired(T0.plusSeconds(61));
        assertEquals(1, closed.size());
        assertEquals(19, closed.getFirst().suppressed());
        assertEquals("token", closed.getFirst().reason());
        assertEquals("h1", closed.getFirst().ipHash());
        assertEquals(T0, closed.getFirst().windowStart());
        assertEquals(0, t.openWindows());
        assertTrue(t.first("token", 401, "h1", null, T0.plusSeconds(62)), "a new window audits again");
    }

    @Test
    void aWindowWithOneRefusalClosesWithoutASummary() {
        RefusalThrottle t = new RefusalThrottle(Duration.ofMinutes(1), 100);
        assertTrue(t.first("ticket", 401, "h1", null, T0));
        assertEquals(List.of(), t.expired(T0.plusSeconds(120)));
        assertEquals(0, t.openWindows());
    }

    @Test
    void reasonsSourcesAndUsersHaveWindowsOfTheirOwn() {
        RefusalThrottle t = new RefusalThrottle(Duration.ofMinutes(1), 100);
        ChatPrincipal a = principal("a");
        assertTrue(t.first("token", 401, "h1", null, T0));
        assertTrue(t.first("ticket", 401, "h1", null, T0));
        assertTrue(t.first("token", 401, "h2", null, T0));
        assertTrue(t.first("banned", 403, "h1", a, T0));
        assertTrue(t.first("banned", 403, "h1", principal("b"), T0));
        assertFalse(t.first("banned", 403, "h1", a, T0));
        RefusalThrottle.Summary s = t.expired(T0.plusSeconds(60)).getFirst();
        assertEquals("a", s.who().userId(), "a user's window keeps the user as the actor");
    }

    @Test
    void manySourcesShareOneOverflowWindowPerReason() {
        RefusalThrottle t = new RefusalThrottle(Duration.ofMinutes(1), 3);
        assertTrue(t.first("token", 401, "h1", null, T0));
        assertTrue(t.first("token", 401, "h2", null, T0));
        assertTrue(t.first("token", 401, "h3", principal("c"), T0));
        assertTrue(t.first("token", 401, "h4", principal("d"), T0), "the overflow window opens");
        for (int i = 5; i < 1000; i++) {
            assertFalse(t.first("token", 401, "h" + i, null, T0));
        }
        assertEquals(4, t.openWindows(), "bounded, whatever the number of sources");
        RefusalThrottle.Summary s = t.expired(T0.plusSeconds(60)).getFirst();
        assertEquals(RefusalThrottle.OVERFLOW, s.ipHash());
        assertEquals(995, s.suppressed());
        assertNull(s.who(), "many sources: no one actor");
    }

    private static ChatPrincipal principal(String userId) {
        return new ChatPrincipal(userId, Set.of("customer"), userId, false, null, T0.plusSeconds(300));
    }
}
