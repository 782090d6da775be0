package io.securechat.moderation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.message.Messages;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyPipelineTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00.123456Z");

    private final List<String> calls = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A policy that answers {@code result} and notes that it was asked. */
    private ModerationPolicy policy(String id, PolicyResult result) {
        return new ModerationPolicy() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Uni<PolicyResult> evaluate(InboundMessage message) {
                calls.add(id);
                return Uni.createFrom().item(result);
            }
        };
    }

    private Decision run(ModerationPolicy... policies) {
        return new PolicyPipeline(List.of(policies), registry, Clock.fixed(NOW, ZoneOffset.UTC))
                .evaluate(Messages.signedIn("u-1", "hello")).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void policiesRunInTheConfiguredOrderNotTheOrderTheyAreFound() {
        var a = policy("a", PolicyResult.allow());
        var b = policy("b", PolicyResult.allow());
        var selected = PolicyPipeline.select(List.of("b", " a"), List.of(a, b));
        assertEquals(List.of(b, a), selected);
        run(selected.toArray(ModerationPolicy[]::new));
        assertEquals(List.of("b", "a"), calls);
    }

    @Test
    void noObjectionMeansAllowStampedToTheMillisecond() {
        Decision d = run(policy("a", PolicyResult.allow()), policy("b", PolicyResult.allow()));
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals(List.of(), d.reasons());
        assertEquals(List.of(), d.redactions());
        assertEquals(Instant.parse("2026-11-25T08:00:00.123Z"), d.decidedAt());
    }

    @Test
    void theFirstBlockWinsAndLaterPoliciesAreNotAsked() {
        Decision d = run(policy("a", PolicyResult.allow()), policy("bans", PolicyResult.block("banned")),
                policy("flood", PolicyResult.block("rate_limited")));
        assertEquals(Verdict.BLOCK, d.verdict());
        assertEquals(List.of("banned"), d.reasons());
        assertEquals(List.of("a", "bans"), calls);
    }

    @Test
    void redactionsAccumulateAcrossPolicies() {
        var card = new Redaction("card", 0, 4);
        var iban = new Redaction("iban", 6, 10);
        Decision d = run(policy("cards", PolicyResult.redact("sensitive_data", List.of(card))),
                policy("a", PolicyResult.allow()), policy("ibans", PolicyResult.redact(null, List.of(iban))));
        assertEquals(Verdict.REDACT, d.verdict());
        assertEquals(List.of(card, iban), d.redactions());
        assertEquals(List.of("sensitive_data"), d.reasons());
    }

    @Test
    void aBlockAfterARedactionDropsTheSpans() {
        Decision d = run(policy("cards", PolicyResult.redact(null, List.of(new Redaction("card", 0, 4)))),
                policy("bans", PolicyResult.block("muted")));
        assertEquals(Verdict.BLOCK, d.verdict());
        assertEquals(List.of("muted"), d.reasons());
        assertEquals(List.of(), d.redactions());
    }

    @Test
    void everyEvaluationIsTimedPerPolicyAndResult() {
        run(policy("bans", PolicyResult.allow()), policy("flood", PolicyResult.block("rate_limited")));
        assertEquals(1, registry.get(PolicyPipeline.TIMER).tags("policy", "bans", "result", "ALLOW").timer().count());
        assertEquals(1, registry.get(PolicyPipeline.TIMER).tags("policy", "flood", "result", "BLOCK").timer().count());
    }

    @Test
    void aPolicyThatCannotDecideFailsTheRunAndIsTimedAsAnError() {
        ModerationPolicy throwing = new ModerationPolicy() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public Uni<PolicyResult> evaluate(InboundMessage message) {
                throw new IllegalStateException("database down");
            }
        };
        var e = assertThrows(IllegalStateException.class, () -> run(throwing, policy("b", PolicyResult.allow())));
        assertEquals("database down", e.getMessage());
        assertEquals(List.of(), calls);
        assertEquals(1, registry.get(PolicyPipeline.TIMER).tags("policy", "broken", "result", "error").timer().count());
    }

    @Test
    void anUnknownPolicyIdStopsStartUp() {
        var e = assertThrows(IllegalStateException.class,
                () -> PolicyPipeline.select(List.of("bans", "typo"), List.of(policy("bans", PolicyResult.allow()))));
        assertTrue(e.getMessage().contains("'typo'") && e.getMessage().contains("[bans]"), e.getMessage());
    }

    @Test
    void aPolicyNamedTwiceOrAnIdClaimedTwiceIsRejected() {
        var bans = policy("bans", PolicyResult.allow());
        assertThrows(IllegalStateException.class, () -> PolicyPipeline.select(List.of("bans", "bans"), List.of(bans)));
        assertThrows(IllegalStateException.class,
                () -> PolicyPipeline.select(List.of("bans"), List.of(bans, policy("bans", PolicyResult.allow()))));
    }
}
