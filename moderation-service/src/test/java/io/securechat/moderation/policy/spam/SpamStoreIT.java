package io.securechat.moderation.policy.spam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.pipeline.Verdict;
import io.securechat.moderation.policy.TestConfig;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Redis store against the corpus' spam sequences: the verdicts the corpus test got from the
 * in-memory store must come out of the real Redis script too. Sequences whose outcome depends on a
 * window running out ({@code s8}: 20 minutes apart) are left to the in-memory store, whose clock a
 * test can move; Redis keeps its own time.
 */
@QuarkusTest
class SpamStoreIT {

    /** Sequences that fit inside every window when replayed at once. */
    private static final Set<String> REPLAYABLE = Set.of("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s9", "s10", "s11", "h1", "h2");

    @Inject
    RedisSpamStore store;

    @Inject
    RedisDataSource redis;

    record Step(String id, String sequence, String user, String conversation, String role, String text, Verdict expected,
            List<String> reasons) {}

    private static List<Step> steps() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Step> out = new ArrayList<>();
        for (String file : List.of("/corpus/messages.jsonl", "/corpus/holdout.jsonl")) {
            try (var in = new BufferedReader(new InputStreamReader(
                    Objects.requireNonNull(SpamStoreIT.class.getResourceAsStream(file)), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    var n = json.readTree(line);
                    if (!n.path("sequence").isTextual() || !REPLAYABLE.contains(n.get("sequence").asText())) {
                        continue;
                    }
                    List<String> reasons = new ArrayList<>();
                    n.path("reasons").forEach(r -> reasons.add(r.asText()));
                    out.add(new Step(n.get("id").asText(), n.get("sequence").asText(), n.get("user").asText(),
                            n.get("conversation").asText(), n.get("role").asText(), n.get("text").asText(),
                            Verdict.valueOf(n.get("verdict").asText()), reasons));
                }
            }
        }
        return out;
    }

    @Test
    void theRedisScriptGivesTheCorpusVerdicts() throws Exception {
        var policy = new SpamPolicy(store, TestConfig.defaults().spam(), Duration.ofSeconds(2), new SimpleMeterRegistry());
        String run = UUID.randomUUID().toString();
        List<Step> steps = steps();
        assertTrue(steps.size() >= 30, "spam steps " + steps.size());
        List<String> wrong = new ArrayList<>();
        for (Step s : steps) {
            var message = new InboundMessage(1, UUID.randomUUID().toString(), "c", run + ":" + s.conversation(),
                    new InboundMessage.Sender(run + ":" + s.user(), List.of(s.role()), "x", false, null), s.text(),
                    List.of(), "gw-1", "gw-1:c", Instant.now());
            PolicyResult r = policy.evaluate(message).await().atMost(Duration.ofSeconds(10));
            boolean right = s.expected() == Verdict.BLOCK ? r.verdict() == Verdict.BLOCK && r.codes().equals(s.reasons())
                    : r.verdict() == Verdict.ALLOW;
            if (!right) {
                wrong.add(s.id() + " got " + r.verdict() + " " + r.codes());
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theCountersHoldFingerprintsNotTextAndExpire() {
        String user = "it-user-" + UUID.randomUUID();
        String conversation = UUID.randomUUID().toString();
        String text = "a secret text " + UUID.randomUUID();
        var o = new SpamObservation(user, conversation, UUID.randomUUID().toString(), Fingerprint.of(text), 2,
                Fingerprint.of(text), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(10));
        SpamCounts counts = store.record(o).await().atMost(Duration.ofSeconds(5));
        assertEquals(new SpamCounts(1, 2, 1), counts);
        // The same message evaluated again (a redelivery the verdict memory missed) counts once.
        assertEquals(new SpamCounts(1, 2, 1), store.record(o).await().atMost(Duration.ofSeconds(5)));
        var next = new SpamObservation(user, conversation, UUID.randomUUID().toString(), o.crossHash(), 0, o.repeatHash(),
                o.crossWindow(), o.linkWindow(), o.repeatWindow());
        assertEquals(new SpamCounts(1, 0, 2), store.record(next).await().atMost(Duration.ofSeconds(5)));

        var keys = redis.key(String.class);
        for (String key : List.of(RedisSpamStore.crossKey(user, Fingerprint.of(text)), RedisSpamStore.linksKey(user),
                RedisSpamStore.repeatKey(conversation, user))) {
            long ttl = keys.pttl(key);
            assertTrue(ttl > 0 && ttl <= Duration.ofMinutes(10).toMillis(), key + " expires: " + ttl);
            assertFalse(key.contains("secret"), key);
        }
        var stored = redis.hash(String.class).hgetall(RedisSpamStore.repeatKey(conversation, user));
        assertFalse(stored.toString().contains("secret"), stored.toString());
    }
}
