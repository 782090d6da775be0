package io.securechat.moderation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionTest {

    private static Decision decision(Verdict verdict, Redaction... redactions) {
        return new Decision(verdict, List.of(), List.of(redactions), Instant.EPOCH);
    }

    @Test
    void allowDeliversTheTextUnchanged() {
        assertEquals("hello", decision(Verdict.ALLOW).apply("hello"));
    }

    @Test
    void blockDeliversNoText() {
        assertEquals("", decision(Verdict.BLOCK).apply("hello"));
    }

    @Test
    void redactMasksEachSpanKeepingTheLength() {
        String text = "card 4111111111111111 ok";
        Decision d = decision(Verdict.REDACT, new Redaction("card", 5, 17));
        assertEquals("card ************1111 ok", d.apply(text));
    }

    @Test
    void overlappingSpansAndSpansPastTheEndAreMaskedNotRefused() {
        Decision d = decision(Verdict.REDACT, new Redaction("a", 0, 3), new Redaction("b", 2, 5),
                new Redaction("c", 7, 99));
        assertEquals("*****fg**", d.apply("abcdefghi"));
    }

    @Test
    void aSpanMustBeOrderedAndNonNegative() {
        assertThrows(IllegalArgumentException.class, () -> new Redaction("card", 5, 4));
        assertThrows(IllegalArgumentException.class, () -> new Redaction("card", -1, 4));
        assertThrows(IllegalArgumentException.class, () -> new Redaction(" ", 0, 4));
    }

    @Test
    void aBlockNeedsAReasonAndARedactionASpan() {
        assertThrows(IllegalArgumentException.class, () -> PolicyResult.block(null));
        assertThrows(IllegalArgumentException.class, () -> PolicyResult.redact("x", List.of()));
    }
}
