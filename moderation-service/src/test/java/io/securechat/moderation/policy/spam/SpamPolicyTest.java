package io.securechat.moderation.policy.spam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.pipeline.Verdict;
import io.securechat.moderation.policy.TestConfig;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SpamPolicyTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SpamPolicy policy = new SpamPolicy(new InMemorySpamStore(clock), TestConfig.defaults().spam(),
            Duration.ofSeconds(1), registry);

    private static InboundMessage message(String user, String role, String conversation, String text) {
        return new InboundMessage(1, UUID.randomUUID().toString(), "c", conversation,
                new InboundMessage.Sender(user, List.of(role), "Ada", false, null), text, List.of(), "gw-1", "gw-1:c",
                Instant.EPOCH);
    }

    private PolicyResult send(String user, String role, String conversation, String text) {
        return policy.evaluate(message(user, role, conversation, text)).await().indefinitely();
    }

    @Test
    void theSameTextIntoAThirdConversationIsBlocked() {
        String text = "Check out my channel, huge gains!";
        assertEquals(Verdict.ALLOW, send("u", "customer", "c1", text).verdict());
        assertEquals(Verdict.ALLOW, send("u", "customer", "c2", "CHECK out my channel -- huge gains").verdict());
        PolicyResult third = send("u", "customer", "c3", text);
        assertEquals(List.of("blocked_content", "spam.cross_conversation"), third.codes());
        assertEquals(Verdict.ALLOW, send("other", "customer", "c4", text).verdict(), "counted per sender");
    }

    @Test
    void theWindowSlides() {
        String text = "Win a free phone, reply YES";
        send("u", "customer", "c1", text);
        clock.advance(Duration.ofMinutes(6));
        send("u", "customer", "c2", text);
        clock.advance(Duration.ofMinutes(6));
        // c1 was 12 minutes ago: out of the 10-minute window.
        assertEquals(Verdict.ALLOW, send("u", "customer", "c3", text).verdict());
        assertEquals(Verdict.BLOCK, send("u", "customer", "c4", text).verdict());
    }

    @Test
    void agentsRepeatCannedRepliesAcrossConversationsButNotInARow() {
        String canned = "Thanks for contacting Acme, how can I help?";
        for (int i = 0; i < 6; i++) {
            assertEquals(Verdict.ALLOW, send("a", "agent", "c" + i, canned).verdict());
            assertEquals(Verdict.ALLOW, send("s", "supervisor", "c" + i, canned).verdict());
        }
        send("a", "agent", "x", canned);
        send("a", "agent", "x", canned);
        send("a", "agent", "x", canned);
        assertEquals(List.of("blocked_content", "spam.repeat"), send("a", "agent", "x", canned).codes());
    }

    @Test
    void shortTextsAreNeverCrossConversationSpam() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.ALLOW, send("u", "customer", "c" + i, "ok thx").verdict());
        }
    }

    @Test
    void theFourthIdenticalMessageInARowIsBlockedAndAnotherTextResetsTheRun() {
        assertEquals(Verdict.ALLOW, send("u", "customer", "c", "hello?").verdict());
        assertEquals(Verdict.ALLOW, send("u", "customer", "c", "hello?").verdict());
        assertEquals(Verdict.ALLOW, send("u", "customer", "c", "hello?").verdict());
        assertEquals(List.of("blocked_content", "spam.repeat"), send("u", "customer", "c", "Hello ?").codes());
        assertEquals(Verdict.ALLOW, send("u", "customer", "c", "anyone there").verdict());
        assertEquals(Verdict.ALLOW, send("u", "customer", "c", "hello?").verdict());
        assertEquals(Verdict.ALLOW, send("u", "customer", "other", "hello?").verdict(), "per conversation");
    }

    @Test
    void moreThanFiveLinksInFiveMinutesAreBlocked() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.ALLOW, send("u", "customer", "c", "see https://shop.example/p" + i).verdict());
        }
        assertEquals(List.of("blocked_content", "spam.link_flood"), send("u", "customer", "c", "and shop.example/x").codes());
        assertEquals(Verdict.ALLOW, send("u", "customer", "c", "no link now").verdict(), "a message without links passes");
        clock.advance(Duration.ofMinutes(6));
        assertEquals(Verdict.ALLOW, send("u", "customer", "c", "https://shop.example/later").verdict());
        assertEquals(Verdict.BLOCK, send("v", "customer", "c", "a.example b.example c.example d.example e.example f.example")
                .verdict(), "six at once");
    }

    @Test
    void redisDownFailsOpenAndCounts() {
        SpamPolicy down = new SpamPolicy(o -> Uni.createFrom().failure(new IllegalStateException("connection refused")),
                TestConfig.defaults().spam(), Duration.ofSeconds(1), registry);
        SpamPolicy silent = new SpamPolicy(o -> Uni.createFrom().nothing(), TestConfig.defaults().spam(),
                Duration.ofMillis(50), registry);
        assertEquals(Verdict.ALLOW, down.evaluate(message("u", "customer", "c", "hi")).await().indefinitely().verdict());
        assertEquals(Verdict.ALLOW, silent.evaluate(message("u", "customer", "c", "hi")).await().indefinitely().verdict());
        assertEquals(2.0, registry.counter(SpamPolicy.FAIL_OPEN).count());
    }

    @Test
    void theFingerprintIgnoresCaseSpacingPunctuationAndLookalikes() {
        assertEquals(Fingerprint.of("Buy cheap followers!"), Fingerprint.of("buy  CHEAP followers"));
        assertEquals(Fingerprint.of("Buy cheap followers"), Fingerprint.of("Buy сheap f\u200bollowers"));
        assertNotEquals(Fingerprint.of("Buy cheap followers"), Fingerprint.of("Buy cheap follower"));
        assertNotEquals(Fingerprint.of("!!!"), Fingerprint.of("???"), "no letters: the symbols count");
        assertEquals(32, Fingerprint.of("x").length());
    }

    @Test
    void thresholdsThatMakeEveryMessageSpamAreRefused() {
        assertThrows(IllegalStateException.class, () -> new SpamPolicy(new InMemorySpamStore(clock),
                TestConfig.policies(Map.of("chat.policy.spam.repeat.times", "1")).spam(), Duration.ofSeconds(1), registry));
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
