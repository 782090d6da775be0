package io.securechat.moderation.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.Verdict;
import io.securechat.moderation.policy.impersonation.ImpersonationPolicy;
import io.securechat.moderation.policy.phishing.PhishingPolicy;
import io.securechat.moderation.policy.sensitive.SensitiveDataPolicy;
import io.securechat.moderation.policy.spam.InMemorySpamStore;
import io.securechat.moderation.policy.spam.SpamPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Texts built to make pattern matching slow (the gateway lets frames of up to 64 KiB through):
 * every policy must still answer, with the right verdict. No time is asserted; the rules are
 * written to be linear (bounded quantifiers, bounded dictionary words, bounded URL reads), and a
 * regression shows here as a test that does not finish.
 */
class HostileInputTest {

    private static final int SIZE = 64 * 1024;

    private final PolicyConfig config = TestConfig.corpus();
    private final SensitiveDataPolicy sensitive = new SensitiveDataPolicy(config.sensitiveData());
    private final PhishingPolicy phishing = new PhishingPolicy(config.phishing());
    private final ImpersonationPolicy impersonation = new ImpersonationPolicy(config.impersonation());
    private final SpamPolicy spam = new SpamPolicy(new InMemorySpamStore(Clock.systemUTC()), config.spam(),
            Duration.ofSeconds(5), new SimpleMeterRegistry());

    private static String repeat(String unit) {
        return unit.repeat(SIZE / unit.length() + 1).substring(0, SIZE);
    }

    private static InboundMessage message(String name, String text) {
        return new InboundMessage(1, "m", "c", "conv", new InboundMessage.Sender("u", List.of("customer"), name, false, null),
                text, List.of(), "gw", "gw:c", Instant.EPOCH);
    }

    private Verdict worst(String name, String text) {
        InboundMessage m = message(name, text);
        Verdict worst = Verdict.ALLOW;
        for (var v : List.of(sensitive.evaluate(m), phishing.evaluate(m), impersonation.evaluate(m), spam.evaluate(m))) {
            Verdict verdict = v.await().indefinitely().verdict();
            if (verdict.ordinal() > worst.ordinal()) {
                worst = verdict;
            }
        }
        return worst;
    }

    @Test
    void longRunsOfAlmostMatchingText() {
        assertEquals(Verdict.ALLOW, worst("Ada", repeat("a")));
        assertEquals(Verdict.ALLOW, worst("Ada", repeat("1 ")));
        assertEquals(Verdict.ALLOW, worst("Ada", repeat("de89 ")));
        assertEquals(Verdict.ALLOW, worst("Ada", repeat("a.")));
        assertEquals(Verdict.ALLOW, worst("Ada", repeat("your passw ")));
        assertEquals(Verdict.ALLOW, worst("Ada", repeat("x-")));
        // Dashes and symbols after "your"/"the" once split exponentially many ways (found by review).
        for (String lead : List.of("your ", "send me the ", "type your ")) {
            assertEquals(Verdict.ALLOW, worst("Ada", lead + "-".repeat(3990)));
            assertEquals(Verdict.ALLOW, worst("Ada", lead + "-a".repeat(1995)));
            assertEquals(Verdict.ALLOW, worst("Ada", lead + " -".repeat(1995)));
        }
    }

    @Test
    void longRunsOfMatchingText() {
        assertEquals(Verdict.BLOCK, worst("Ada", repeat("http://")));
        assertEquals(Verdict.BLOCK, worst("Ada", repeat("send me your password ")));
        assertEquals(Verdict.BLOCK, worst("Ada", "http://" + repeat("acme")));
        assertEquals(Verdict.REDACT, worst("Ada", repeat("4111 1111 1111 1111 x ")));
        assertEquals(Verdict.BLOCK, worst(repeat("Support "), "hi"));
        assertEquals(Verdict.ALLOW, worst(repeat("supportx"), "hi"));
    }
}
