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
import java.util.Map;
import java.util.Set;
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

    /** A policy that throws, like a bug or a regex overflowing its stack. */
    private static ModerationPolicy broken(String id, boolean deterministic) {
        return new ModerationPolicy() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public boolean deterministic() {
                return deterministic;
            }

            @Override
            public Uni<PolicyResult> evaluate(InboundMessage message) {
                throw new StackOverflowError();
            }
        };
    }

    @Test
    void aTextPolicyThatFailsRefusesThatMessageInsteadOfHoldingThePartition() {
        Decision d = run(broken("phishing", true), policy("later", PolicyResult.allow()));
        assertEquals(Verdict.BLOCK, d.verdict());
        assertEquals(List.of("internal", "policy_error.phishing"), d.reasons());
        assertEquals(1.0, registry.counter(PolicyPipeline.FAILED, "policy", "phishing").count());
        assertEquals(List.of(), calls, "the first BLOCK wins");
    }

    @Test
    void aPolicyThatAsksADatabaseStillFailsSoTheGateRetries() {
        var pipeline = new PolicyPipeline(List.of(broken("bans", false)), registry, Clock.fixed(NOW, ZoneOffset.UTC));
        Throwable t = assertThrows(Throwable.class,
                () -> pipeline.evaluate(Messages.signedIn("u-1", "hello")).await().atMost(Duration.ofSeconds(5)));
        while (t.getCause() != null && !(t instanceof StackOverflowError)) {
            t = t.getCause();
        }
        assertTrue(t instanceof StackOverflowError, "the failure itself reaches the gate: " + t);
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

    @Test
    void aBlockCarriesItsProtocolCodeFirstThenItsDetailCodes() {
        Decision d = run(policy("phishing", PolicyResult.block("phishing",
                List.of("phishing.lookalike_domain", "phishing.credential_request"))));
        assertEquals(Verdict.BLOCK, d.verdict());
        assertEquals(List.of("phishing", "phishing.lookalike_domain", "phishing.credential_request"), d.reasons());
    }

    @Test
    void aRedactCarriesTheDetailCodesOfEveryRedactingPolicyEachOnce() {
        var card = new Redaction("card", 0, 4);
        var iban = new Redaction("iban", 6, 10);
        Decision d = run(policy("sensitive-data", PolicyResult.mask(List.of(card), List.of("sensitive_data.card"))),
                policy("other", PolicyResult.mask(List.of(iban), List.of("sensitive_data.iban", "sensitive_data.card"))));
        assertEquals(Verdict.REDACT, d.verdict());
        assertEquals(List.of("sensitive_data.card", "sensitive_data.iban"), d.reasons());
        assertEquals(List.of(card, iban), d.redactions());
    }

    @Test
    void findingsAreCountedPerPolicyVerdictAndDetailCode() {
        run(policy("sensitive-data", PolicyResult.mask(List.of(new Redaction("card", 0, 4)),
                List.of("sensitive_data.card", "sensitive_data.ssn"))), policy("bans", PolicyResult.block("banned")));
        assertEquals(1, registry.get(PolicyPipeline.FINDINGS)
                .tags("policy", "sensitive-data", "verdict", "REDACT", "reason", "sensitive_data.ssn").counter().count());
        assertEquals(1, registry.get(PolicyPipeline.FINDINGS)
                .tags("policy", "bans", "verdict", "BLOCK", "reason", "banned").counter().count());
    }

    /** Settings for every message, whatever its conversation. */
    private static QueueResolver fixed(QueueSettings settings) {
        return new QueueResolver() {
            @Override
            public Uni<QueueSettings> settingsFor(InboundMessage message) {
                return Uni.createFrom().item(settings);
            }

            @Override
            public Map<String, Set<String>> disabledByQueue() {
                return Map.of(settings.queue(), settings.disabled());
            }
        };
    }

    @Test
    void aPolicySwitchedOffForTheQueueIsNotAskedAndTheOthersGetTheQueuesOptions() {
        var seen = new java.util.ArrayList<QueueSettings>();
        ModerationPolicy withOptions = new ModerationPolicy() {
            @Override
            public String id() {
                return "sensitive-data";
            }

            @Override
            public Uni<PolicyResult> evaluate(InboundMessage message) {
                throw new AssertionError("the pipeline passes the queue's settings");
            }

            @Override
            public Uni<PolicyResult> evaluate(InboundMessage message, QueueSettings queue) {
                seen.add(queue);
                return Uni.createFrom().item(PolicyResult.allow());
            }
        };
        var sales = new QueueSettings("sales", Set.of("spam"), Map.of("sensitive-data.action", "block"));
        Decision d = new PolicyPipeline(List.of(withOptions, policy("spam", PolicyResult.block("blocked_content"))),
                fixed(sales), registry, Clock.fixed(NOW, ZoneOffset.UTC))
                .evaluate(Messages.signedIn("u-1", "hello")).await().atMost(Duration.ofSeconds(5));
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals(List.of(), calls, "spam was not asked");
        assertEquals(List.of(sales), seen);
        assertEquals(1, registry.get(PolicyPipeline.SKIPPED).tags("policy", "spam").counter().count());
    }

    @Test
    void aQueueCannotSwitchOffAnUnknownPolicyOrTheBans() {
        var bans = policy("bans", PolicyResult.allow());
        var spam = policy("spam", PolicyResult.allow());
        var typo = assertThrows(IllegalStateException.class,
                () -> PolicyPipeline.select(List.of("bans"), List.of(bans, spam), Map.of("sales", Set.of("spma"))));
        assertTrue(typo.getMessage().contains("'spma'"), typo.getMessage());
        var off = assertThrows(IllegalStateException.class,
                () -> PolicyPipeline.select(List.of("bans"), List.of(bans, spam), Map.of("sales", Set.of("bans"))));
        assertTrue(off.getMessage().contains("'bans'"), off.getMessage());
        assertEquals(List.of(bans), PolicyPipeline.select(List.of("bans"), List.of(bans, spam), Map.of("sales", Set.of("spam"))));
    }

    @Test
    void aQueueThatCannotBeLookedUpFailsTheRun() {
        QueueResolver broken = new QueueResolver() {
            @Override
            public Uni<QueueSettings> settingsFor(InboundMessage message) {
                return Uni.createFrom().failure(new IllegalStateException("database down"));
            }

            @Override
            public Map<String, Set<String>> disabledByQueue() {
                return Map.of();
            }
        };
        var pipeline = new PolicyPipeline(List.of(policy("a", PolicyResult.allow())), broken, registry,
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThrows(IllegalStateException.class,
                () -> pipeline.evaluate(Messages.signedIn("u-1", "hello")).await().atMost(Duration.ofSeconds(5)));
        assertEquals(List.of(), calls);
    }
}
