package io.securechat.moderation.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.pipeline.Verdict;
import io.securechat.moderation.policy.impersonation.ImpersonationPolicy;
import io.securechat.moderation.policy.phishing.PhishingPolicy;
import io.securechat.moderation.policy.sensitive.SensitiveDataPolicy;
import io.securechat.moderation.policy.spam.InMemorySpamStore;
import io.securechat.moderation.policy.spam.SpamPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every text policy over the labelled corpus ({@code src/test/resources/corpus/messages.jsonl},
 * labelled before the policies were written) and over a holdout ({@code corpus/holdout.jsonl},
 * written after them and run once without changing them): precision and recall per policy,
 * whether the expected reason codes came out, and the verdict the pipeline would give. The tables
 * go to {@code target/corpus-report.md}; docs/moderation.md copies them.
 *
 * <p>Each policy judges each message on its own (so a policy's figures do not depend on the
 * others); the combined verdict takes them in the configured order, the first BLOCK winning. Spam
 * sequences run on a clock set to each entry's {@code at} second, over an in-memory store with the
 * Redis store's semantics (SpamStoreIT checks them against Redis).
 */
class CorpusTest {

    static final List<String> POLICIES = List.of("impersonation", "sensitive-data", "phishing", "spam");

    /** Floors set from the measured figures (docs/moderation.md): a change that loses ground fails here. */
    static final Map<String, double[]> FLOORS = Map.of(
            "impersonation", new double[] {1.0, 0.95},
            "sensitive-data", new double[] {0.95, 0.95},
            "phishing", new double[] {0.95, 0.95},
            "spam", new double[] {1.0, 1.0});

    /**
     * Floors for the holdout, from its single honest run (impersonation recall 0.727, phishing
     * 0.867, everything else 1.000): it is small (71 messages) and was written after the code, so
     * its figures are the better estimate of what the policies miss.
     */
    static final Map<String, double[]> HOLDOUT_FLOORS = Map.of(
            "impersonation", new double[] {0.95, 0.70},
            "sensitive-data", new double[] {0.95, 0.95},
            "phishing", new double[] {0.95, 0.85},
            "spam", new double[] {1.0, 1.0});

    record Entry(String id, String text, String role, String displayName, Verdict verdict, String policy,
            List<String> reasons, String user, String conversation, Long at) {}

    record Outcome(Entry entry, Map<String, PolicyResult> results, Verdict verdict) {}

    private static List<Entry> corpus;
    private static List<Outcome> outcomes;
    private static List<Entry> holdout;
    private static List<Outcome> holdoutOutcomes;

    @BeforeAll
    static void run() throws IOException {
        corpus = load("/corpus/messages.jsonl");
        outcomes = judge(corpus);
        holdout = load("/corpus/holdout.jsonl");
        holdoutOutcomes = judge(holdout);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "corpus-report.md"), report());
    }

    /** Every policy on every entry, with fresh policies and spam counters for each set. */
    private static List<Outcome> judge(List<Entry> entries) {
        PolicyConfig config = TestConfig.corpus();
        Instant start = Instant.parse("2026-11-25T08:00:00Z");
        MovableClock clock = new MovableClock(start);
        var impersonation = new ImpersonationPolicy(config.impersonation());
        var sensitive = new SensitiveDataPolicy(config.sensitiveData());
        var phishing = new PhishingPolicy(config.phishing());
        var spam = new SpamPolicy(new InMemorySpamStore(clock), config.spam(), Duration.ofSeconds(5),
                new SimpleMeterRegistry());
        List<Outcome> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.at() != null) {
                clock.set(start.plusSeconds(e.at()));
            }
            InboundMessage m = message(e);
            Map<String, PolicyResult> results = new LinkedHashMap<>();
            results.put("impersonation", impersonation.evaluate(m).await().indefinitely());
            results.put("sensitive-data", sensitive.evaluate(m).await().indefinitely());
            results.put("phishing", phishing.evaluate(m).await().indefinitely());
            results.put("spam", spam.evaluate(m).await().indefinitely());
            out.add(new Outcome(e, results, combined(results)));
        }
        return out;
    }

    private static Verdict combined(Map<String, PolicyResult> results) {
        boolean redacted = false;
        for (String p : POLICIES) {
            Verdict v = results.get(p).verdict();
            if (v == Verdict.BLOCK) {
                return Verdict.BLOCK;
            }
            redacted |= v == Verdict.REDACT;
        }
        return redacted ? Verdict.REDACT : Verdict.ALLOW;
    }

    private static InboundMessage message(Entry e) {
        boolean guest = e.role().equals("guest");
        String user = e.user() != null ? e.user() : "corpus-" + e.id();
        var sender = new InboundMessage.Sender(guest ? "guest:" + user : user, guest ? List.of() : List.of(e.role()),
                e.displayName(), guest, guest ? "fp-" + user : null);
        return new InboundMessage(1, e.id(), "c-" + e.id(), e.conversation() != null ? e.conversation() : "conv-" + e.id(),
                sender, e.text(), List.of(), "gw-1", "gw-1:" + user, Instant.parse("2026-11-25T08:00:00Z"));
    }

    static List<Entry> load(String resource) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Entry> out = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(CorpusTest.class.getResourceAsStream(resource), resource),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(line);
                List<String> reasons = new ArrayList<>();
                n.path("reasons").forEach(r -> reasons.add(r.asText()));
                out.add(new Entry(n.get("id").asText(), n.get("text").asText(), n.get("role").asText(),
                        n.get("displayName").asText(), Verdict.valueOf(n.get("verdict").asText()),
                        n.path("policy").isTextual() ? n.get("policy").asText() : null, reasons,
                        n.path("user").isTextual() ? n.get("user").asText() : null,
                        n.path("conversation").isTextual() ? n.get("conversation").asText() : null,
                        n.path("at").isNumber() ? n.get("at").asLong() : null));
            }
        }
        return out;
    }

    /** The codes a result puts into the decision's reasons. */
    private static List<String> codes(PolicyResult r) {
        return r.verdict() == Verdict.ALLOW ? List.of() : r.codes();
    }

    record Score(int tp, int fp, int fn, int reasonsRight) {
        double precision() {
            return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
        }
    }

    static Score score(String policy) {
        return score(policy, outcomes);
    }

    static Score score(String policy, List<Outcome> outcomes) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int right = 0;
        for (Outcome o : outcomes) {
            boolean expected = policy.equals(o.entry().policy());
            PolicyResult r = o.results().get(policy);
            boolean flagged = r.verdict() != Verdict.ALLOW;
            if (expected && flagged) {
                tp++;
                if (codes(r).containsAll(o.entry().reasons())) {
                    right++;
                }
            } else if (flagged) {
                fp++;
            } else if (expected) {
                fn++;
            }
        }
        return new Score(tp, fp, fn, right);
    }

    private static String report() {
        StringBuilder out = new StringBuilder();
        out.append("# Text policies over the labelled corpus\n\n");
        out.append("## Corpus (corpus/messages.jsonl, labelled before the policies were written)\n\n");
        table(out, corpus, outcomes);
        out.append("\n## Holdout (corpus/holdout.jsonl, written after the policies, run without changing them)\n\n");
        table(out, holdout, holdoutOutcomes);
        return out.toString();
    }

    private static void table(StringBuilder out, List<Entry> entries, List<Outcome> results) {
        out.append(String.format(Locale.ROOT, "%d messages (%d expected ALLOW, %d REDACT, %d BLOCK).%n%n", entries.size(),
                count(entries, Verdict.ALLOW), count(entries, Verdict.REDACT), count(entries, Verdict.BLOCK)));
        out.append("| policy | expected | TP | FP | FN | precision | recall | reason codes right |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String p : POLICIES) {
            Score s = score(p, results);
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.3f | %.3f | %d/%d |%n", p, s.tp() + s.fn(),
                    s.tp(), s.fp(), s.fn(), s.precision(), s.recall(), s.reasonsRight(), s.tp()));
        }
        long right = results.stream().filter(o -> o.verdict() == o.entry().verdict()).count();
        out.append(String.format(Locale.ROOT, "%nCombined verdict as expected: %d/%d (%.1f %%).%n", right, entries.size(),
                100.0 * right / entries.size()));
        out.append("\nMisses and false alarms:\n\n");
        out.append("| id | expected | got | codes |\n|---|---|---|---|\n");
        for (Outcome o : results) {
            List<String> all = new ArrayList<>();
            POLICIES.forEach(p -> all.addAll(codes(o.results().get(p))));
            boolean wrongVerdict = o.verdict() != o.entry().verdict();
            boolean stray = POLICIES.stream().anyMatch(p -> !p.equals(o.entry().policy())
                    && o.results().get(p).verdict() != Verdict.ALLOW);
            if (wrongVerdict || stray) {
                out.append(String.format("| %s | %s %s | %s | %s |%n", o.entry().id(), o.entry().verdict(),
                        o.entry().policy() == null ? "" : o.entry().policy(), o.verdict(), String.join(", ", all)));
            }
        }
    }

    private static long count(List<Entry> entries, Verdict v) {
        return entries.stream().filter(e -> e.verdict() == v).count();
    }

    private static long count(Verdict v) {
        return count(corpus, v);
    }

    @Test
    void theCorpusIsLargeAndWellFormed() {
        assertTrue(corpus.size() >= 320, "at least 320 messages, found " + corpus.size());
        Set<String> ids = new HashSet<>();
        for (Entry e : corpus) {
            assertTrue(ids.add(e.id()), "duplicate id " + e.id());
            assertTrue(e.policy() == null || POLICIES.contains(e.policy()), e.id());
            assertEquals(e.policy() == null, e.verdict() == Verdict.ALLOW, e.id() + ": a policy exactly when not ALLOW");
        }
        assertTrue(count(Verdict.ALLOW) >= 150, "many benign messages");
    }

    @Test
    void noBenignMessageIsBlocked() {
        List<String> blocked = java.util.stream.Stream.concat(outcomes.stream(), holdoutOutcomes.stream())
                .filter(o -> o.entry().verdict() == Verdict.ALLOW && o.verdict() == Verdict.BLOCK)
                .map(o -> o.entry().id()).toList();
        assertEquals(List.of(), blocked);
    }

    @Test
    void precisionAndRecallPerPolicyStayAboveTheirFloors() {
        for (String p : POLICIES) {
            Score s = score(p);
            double[] floor = FLOORS.get(p);
            assertTrue(s.precision() >= floor[0], () -> p + " precision " + s.precision() + " below " + floor[0]);
            assertTrue(s.recall() >= floor[1], () -> p + " recall " + s.recall() + " below " + floor[1]);
        }
    }

    @Test
    void theHoldoutStaysAboveItsFloors() {
        assertTrue(holdout.size() >= 60, "holdout size " + holdout.size());
        for (String p : POLICIES) {
            Score s = score(p, holdoutOutcomes);
            double[] floor = HOLDOUT_FLOORS.get(p);
            assertTrue(s.precision() >= floor[0], () -> p + " holdout precision " + s.precision());
            assertTrue(s.recall() >= floor[1], () -> p + " holdout recall " + s.recall());
        }
    }

    @Test
    void aCaughtMessageCarriesTheExpectedReasonCodes() {
        for (String p : POLICIES) {
            Score s = score(p);
            assertTrue(s.reasonsRight() >= s.tp() * 0.95, () -> p + ": expected codes in " + s.reasonsRight() + " of "
                    + s.tp());
        }
    }

    /** A clock the test sets. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
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
