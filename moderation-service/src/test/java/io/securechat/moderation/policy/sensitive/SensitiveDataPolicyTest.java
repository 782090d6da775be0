package io.securechat.moderation.policy.sensitive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.moderation.message.Messages;
import io.securechat.moderation.pipeline.Decision;
import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.pipeline.QueueSettings;
import io.securechat.moderation.pipeline.Redaction;
import io.securechat.moderation.pipeline.Verdict;
import io.securechat.moderation.policy.PolicyConfig;
import io.securechat.moderation.policy.TestConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SensitiveDataPolicyTest {

    private final SensitiveDataPolicy policy = new SensitiveDataPolicy(TestConfig.corpus().sensitiveData());

    private PolicyResult redact(String text) {
        return policy.judge(text, PolicyConfig.Action.REDACT);
    }

    /** The text as delivered. */
    private static String masked(String text, PolicyResult r) {
        return new Decision(r.verdict(), r.codes(), r.redactions(), Instant.EPOCH).apply(text);
    }

    private static int fourthDigitFromTheEnd(String s) {
        int seen = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            if (Character.isDigit(s.charAt(i)) && ++seen == 4) {
                return i;
            }
        }
        throw new IllegalArgumentException(s);
    }

    @Test
    void luhn() {
        assertTrue(Luhn.valid("4111111111111111"));
        assertTrue(Luhn.valid("378282246310005"));
        assertTrue(Luhn.valid("0"));
        assertFalse(Luhn.valid("4111111111111112"));
        assertFalse(Luhn.valid("411111111111111a"));
        assertFalse(Luhn.valid(""));
        // Transposed neighbours are caught (except 09/90).
        assertFalse(Luhn.valid("4111111111111111".replace("41", "14")));
    }

    @Test
    void aCardIsMaskedButItsLastFourDigitsWhateverTheSeparators() {
        for (String card : List.of("4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "4111-1111 1111-1111",
                "3782 822463 10005", "6011000990139424", "4917 6100 0000 0000 003", "30569309025904")) {
            String text = "pay with " + card + " please";
            PolicyResult r = redact(text);
            assertEquals(Verdict.REDACT, r.verdict(), card);
            assertEquals(List.of("sensitive_data.card"), r.details(), card);
            Redaction span = r.redactions().getFirst();
            assertEquals("card", span.kind());
            assertEquals(text.indexOf(card), span.start(), card);
            assertEquals(text.indexOf(card) + fourthDigitFromTheEnd(card), span.end(), card);
            String delivered = masked(text, r);
            assertTrue(delivered.startsWith("pay with *") && delivered.endsWith(card.substring(card.length() - 4) + " please"),
                    delivered);
        }
    }

    @Test
    void numbersThatAreNotCardsPass() {
        for (String text : List.of(
                "4111 1111 1111 1112",          // Luhn fails
                "order 1234567890123452",       // issuer digit 1
                "9174002975504736",             // Luhn-valid, issuer digit 9
                "411111111111",                 // 12 digits
                "41111111111111111111111",      // 23 digits in one run: a card never hides inside
                "USPS 9400 1111 2021 7777 4453 11",
                "call +4915123456789",          // a phone number
                "SN4111111111111111",           // glued to letters: a product code
                "3.4111111111111111",           // a decimal
                "order 4111-ORDER-2231")) {
            assertEquals(Verdict.ALLOW, redact(text).verdict(), text);
        }
    }

    @Test
    void aCardFollowedByItsExpiryOrCvvIsFoundAndOnlyTheCardMasked() {
        String text = "4111 1111 1111 1111 0926 737";
        PolicyResult r = redact(text);
        assertEquals(List.of(new Redaction("card", 0, 15)), r.redactions());
        assertEquals("***************1111 0926 737", masked(text, r));
    }

    @Test
    void spansAreUtf16IndexesOfTheOriginalTextAroundSurrogatePairsAndInvisibleCharacters() {
        String emoji = "😀😀 card 4111 1111 1111 1111 😀";
        PolicyResult r = redact(emoji);
        int start = emoji.indexOf("4111");
        assertEquals(new Redaction("card", start, start + 15), r.redactions().getFirst());
        assertEquals("😀😀 card ***************1111 😀", masked(emoji, r));

        String hidden = "4111\u200b1111\u200b1111\u200b1111 ok";
        PolicyResult h = redact(hidden);
        // The zero-width spaces are inside the span: the span ends where the last four digits start.
        assertEquals(new Redaction("card", 0, hidden.indexOf("1111", 15)), h.redactions().getFirst());
        assertTrue(masked(hidden, h).endsWith("1111 ok"));

        String math = "𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏"; // mathematical digits: two UTF-16 units each
        PolicyResult m = redact(math);
        assertEquals(new Redaction("card", 0, 24), m.redactions().getFirst());
        assertEquals(32, math.length());

        String fullwidth = "４１１１ １１１１ １１１１ １１１１";
        assertEquals(new Redaction("card", 0, 15), redact(fullwidth).redactions().getFirst());
    }

    @Test
    void ibansNeedTheirCountrysLengthAndTheMod97Check() {
        assertTrue(IbanFinder.valid("DE89370400440532013000"));
        assertTrue(IbanFinder.valid("GB82WEST12345698765432"));
        assertTrue(IbanFinder.valid("MT84MALT011000012345MTLCAST001S"));
        assertFalse(IbanFinder.valid("DE89370400440532013001"), "check digits");
        assertFalse(IbanFinder.valid("DE8937040044053201300"), "length");
        assertFalse(IbanFinder.valid("XX89370400440532013000"), "country");
        assertFalse(IbanFinder.valid("DEAB370400440532013000"), "check digits must be digits");

        String text = "IBAN: de89 3704 0044 0532 0130 00, thanks";
        PolicyResult r = redact(text);
        assertEquals(List.of("sensitive_data.iban"), r.details());
        // Every character of the span is masked, spaces included: 22 of them, then the last four.
        assertEquals("IBAN: " + "*".repeat(22) + "30 00, thanks", masked(text, r));
        assertEquals(Verdict.ALLOW, redact("invoice DE12 3456 7890 1234 5678 90").verdict(), "fails mod-97");
        assertEquals(Verdict.ALLOW, redact("Verwendungszweck DE2024INV00012345").verdict());
    }

    @Test
    void ssnsOutsideTheIssuedRangesPass() {
        assertEquals(List.of("sensitive_data.ssn"), redact("ssn 123-45-6789").details());
        assertEquals("ssn *******6789", masked("ssn 123-45-6789", redact("ssn 123-45-6789")));
        assertEquals(Verdict.REDACT, redact("ssn 123 45 6789").verdict());
        for (String text : List.of("000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000",
                "123-45 6789", "1123-45-6789", "555-123-4567", "555 401 23 4567")) {
            assertEquals(Verdict.ALLOW, redact(text).verdict(), text);
        }
    }

    @Test
    void operatorPatternsAreNamedInTheirDetailCode() {
        PolicyResult r = redact("member ACM-2231-8812-0042 and card 4242 4242 4242 4242");
        assertEquals(List.of("sensitive_data.card", "sensitive_data.pattern.member_id"), r.details());
        assertEquals(List.of("pattern", "card"), r.redactions().stream().map(Redaction::kind).toList(), "in text order");
        assertEquals("member " + "*".repeat(14) + "0042 and card " + "*".repeat(15) + "4242",
                masked("member ACM-2231-8812-0042 and card 4242 4242 4242 4242", r));
    }

    @Test
    void aShortPatternMatchIsMaskedWhole() {
        var p = new SensitiveDataPolicy(TestConfig.policies(
                Map.of("chat.policy.sensitive-data.patterns.\"pin\"", "PIN \\d{4}")).sensitiveData());
        PolicyResult r = p.judge("my PIN 1234", PolicyConfig.Action.REDACT);
        assertEquals(new Redaction("pattern", 3, 11), r.redactions().getFirst());
    }

    @Test
    void aQueueSetToBlockRefusesWithBlockedContent() {
        var billing = new QueueSettings("billing", Set.of(), Map.of("sensitive-data.action", "block"));
        PolicyResult r = policy.evaluate(Messages.signedIn("u", "card 4111111111111111"), billing).await().indefinitely();
        assertEquals(Verdict.BLOCK, r.verdict());
        assertEquals(List.of("blocked_content", "sensitive_data.card"), r.codes());
        PolicyResult elsewhere = policy.evaluate(Messages.signedIn("u", "card 4111111111111111")).await().indefinitely();
        assertEquals(Verdict.REDACT, elsewhere.verdict());
    }

    @Test
    void detectorsCanBeSwitchedOff() {
        var p = new SensitiveDataPolicy(TestConfig.policies(Map.of("chat.policy.sensitive-data.cards", "false")).sensitiveData());
        assertEquals(Verdict.ALLOW, p.judge("4111111111111111", PolicyConfig.Action.REDACT).verdict());
        assertEquals(Verdict.REDACT, p.judge("123-45-6789", PolicyConfig.Action.REDACT).verdict());
    }

    @Test
    void aBadPatternOrPatternNameStopsStartUp() {
        assertThrows(IllegalStateException.class, () -> new SensitiveDataPolicy(TestConfig.policies(
                Map.of("chat.policy.sensitive-data.patterns.\"x\"", "([")).sensitiveData()));
        assertThrows(IllegalStateException.class, () -> new SensitiveDataPolicy(TestConfig.policies(
                Map.of("chat.policy.sensitive-data.patterns.\"Bad Name\"", "x")).sensitiveData()));
    }

    @Test
    void emptyOrMissingTextIsAllowed() {
        assertEquals(Verdict.ALLOW, redact("").verdict());
        assertEquals(Verdict.ALLOW, redact(null).verdict());
    }
}
