package io.securechat.transcript.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.transcript.privacy.model.LegalHold;
import io.securechat.transcript.retention.model.RetentionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention arithmetic and legal-hold coverage. */
class PrivacyRulesTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void policiesParse() {
        assertEquals(Optional.of("P180D"), RetentionPolicy.parse("P180D"));
        assertEquals(Optional.of("INDEFINITE"), RetentionPolicy.parse("INDEFINITE"));
        assertEquals(Optional.of("P1D"), RetentionPolicy.parse(" P1D "));
        for (String bad : new String[] {"P0D", "P-1D", "PT1H", "P1Y", "p30d", "P36501D", "P007D", "", "forever"}) {
            assertTrue(RetentionPolicy.parse(bad).isEmpty(), bad);
        }
        assertTrue(RetentionPolicy.parse(null).isEmpty());
        assertEquals(Optional.of(Duration.ofDays(365)), RetentionPolicy.keep("P365D"));
        assertTrue(RetentionPolicy.keep("INDEFINITE").isEmpty());
    }

    @Test
    void aConversationExpiresWhenClosedLongerAgoThanItsPolicy() {
        assertTrue(RetentionPolicy.expired("P1D", NOW.minus(Duration.ofDays(1)).minusSeconds(1), NOW));
        assertFalse(RetentionPolicy.expired("P1D", NOW.minus(Duration.ofDays(1)), NOW), "exactly one day: kept");
        assertFalse(RetentionPolicy.expired("P180D", NOW.minus(Duration.ofDays(179)), NOW));
        assertTrue(RetentionPolicy.expired("P180D", NOW.minus(Duration.ofDays(181)), NOW));
        assertFalse(RetentionPolicy.expired("INDEFINITE", NOW.minus(Duration.ofDays(100_000)), NOW));
        assertFalse(RetentionPolicy.expired("P1D", null, NOW), "open conversations are never purged");
        assertFalse(RetentionPolicy.expired("garbage", NOW.minus(Duration.ofDays(1000)), NOW), "unknown policies keep");
    }

    static LegalHold hold(UUID conversation, String subject, Instant lifted) {
        return new LegalHold(UUID.randomUUID(), conversation, subject, "case 1", "c", NOW, lifted, lifted == null ? null : "c");
    }

    @Test
    void holdsCoverTheirConversationOrEveryConversationOfTheirSubjectAsCustomer() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        LegalHold onA = hold(a, null, null);
        LegalHold onAda = hold(null, "ada", null);
        assertTrue(onA.covers(a, "bob"));
        assertFalse(onA.covers(b, "bob"));
        assertTrue(onAda.covers(b, "ada"));
        assertFalse(onAda.covers(b, "bob"));
        assertFalse(onAda.covers(b, null));
        LegalHold lifted = hold(a, null, NOW);
        assertFalse(lifted.covers(a, "bob"), "a lifted hold covers nothing");
        assertTrue(LegalHold.covering(List.of(lifted, onAda), b, "ada").isPresent());
        assertTrue(LegalHold.covering(List.of(lifted, onAda), a, "bob").isEmpty());
        // erasure of a subject: stopped by a hold on them or on one of their conversations
        assertTrue(onAda.coversSubject("ada", List.of()));
        assertTrue(onA.coversSubject("bob", List.of(a, b)));
        assertFalse(onA.coversSubject("bob", List.of(b)));
        assertFalse(lifted.coversSubject("bob", List.of(a)));
    }
}
