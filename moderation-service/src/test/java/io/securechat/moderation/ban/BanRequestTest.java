package io.securechat.moderation.ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.platform.api.ApiError;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What POST /api/v1/moderation/bans accepts, and the 400s that name the field without echoing it. */
class BanRequestTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final String HASH = "a".repeat(64);

    private static BanRequest user(String reason, String duration, String expiresAt) {
        return new BanRequest("USER", "3f1c-user", "BAN", reason, duration, expiresAt, null, null);
    }

    private static String refusal(BanRequest r) {
        return assertThrows(ApiError.BadRequest.class, () -> r.check(NOW)).getMessage();
    }

    @Test
    void aDurationBecomesAnExpiryAndNeitherMeansUntilLifted() {
        assertEquals(NOW.plusSeconds(86_400), user("harassment", "PT24H", null).check(NOW).expiresAt());
        assertEquals(Instant.parse("2026-11-26T09:00:00Z"),
                user("spam", null, "2026-11-26T09:00:00Z").check(NOW).expiresAt());
        assertNull(user("e2e test", null, null).check(NOW).expiresAt());
    }

    @Test
    void hashesAreSixtyFourLowercaseHexForFingerprintsAndIpHashes() {
        BanOrder o = new BanRequest("IP_HASH", HASH, "MUTE", "spam", "PT1H", null, null, "seen in three reports").check(NOW);
        assertEquals("IP_HASH", o.subjectKind());
        assertEquals("MUTE", o.kind());
        assertEquals("seen in three reports", o.note());
        assertTrue(refusal(new BanRequest("GUEST_FINGERPRINT", "A".repeat(64), "BAN", "spam", null, null, null, null))
                .contains("hexadecimal"));
        assertTrue(refusal(new BanRequest("IP_HASH", "127.0.0.1", "BAN", "spam", null, null, null, null))
                .contains("hexadecimal"));
    }

    @Test
    void badFieldsAreNamed() {
        assertTrue(refusal(new BanRequest("EMAIL", "x", "BAN", "spam", null, null, null, null)).startsWith("subjectKind"));
        assertTrue(refusal(new BanRequest("USER", "a b", "BAN", "spam", null, null, null, null)).startsWith("subject"));
        assertTrue(refusal(new BanRequest("USER", "u", "KICK", "spam", null, null, null, null)).startsWith("kind"));
        assertTrue(refusal(user(null, null, null)).startsWith("reason"));
        assertTrue(refusal(user("<script>", null, null)).startsWith("reason"));
        assertTrue(refusal(user("x".repeat(65), null, null)).startsWith("reason"));
        assertTrue(refusal(user("spam", "PT1H", "2026-11-26T09:00:00Z")).contains("not both"));
        assertTrue(refusal(user("spam", "tomorrow", null)).startsWith("duration"));
        assertTrue(refusal(user("spam", "PT30S", null)).startsWith("duration"));
        assertTrue(refusal(user("spam", null, "2026-11-25T07:00:00Z")).startsWith("expiresAt"));
        assertTrue(refusal(new BanRequest("USER", "u", "BAN", "spam", null, null, "nope", null)).startsWith("reportId"));
        assertTrue(refusal(new BanRequest("USER", "u", "BAN", "spam", null, null, null, "n".repeat(1001))).startsWith("note"));
        UUID report = UUID.randomUUID();
        assertEquals(report, new BanRequest("USER", "u", "BAN", "spam", null, null, report.toString(), null).check(NOW).reportId());
    }

    @Test
    void aLiftReasonIsOptional() {
        assertEquals("lifted", BanRequest.reason(null, "lifted"));
        assertEquals("appeal_granted", BanRequest.reason("appeal_granted", "lifted"));
        assertThrows(ApiError.BadRequest.class, () -> BanRequest.reason("no\nnewlines", "lifted"));
    }
}
