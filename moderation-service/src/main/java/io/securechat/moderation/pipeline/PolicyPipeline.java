package io.securechat.moderation.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.securechat.moderation.ModerationConfig;
import io.securechat.moderation.message.InboundMessage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the configured policies in order, one after the other: the first BLOCK ends the run (no
 * later policy is asked, so a banned user spends no rate-limit tokens), REDACT results
 * accumulate their spans and reasons, and no objection at all means ALLOW.
 */
@Singleton
public class PolicyPipeline {

    static final String TIMER = "chat.moderation.policy.evaluation";

    private final List<ModerationPolicy> policies;
    private final MeterRegistry registry;
    private final Clock clock;

    @Inject
    PolicyPipeline(ModerationConfig config, @Any Instance<ModerationPolicy> available, MeterRegistry registry) {
        this(select(config.policies(), available.stream().toList()), registry, Clock.systemUTC());
    }

    public PolicyPipeline(List<ModerationPolicy> policies, MeterRegistry registry, Clock clock) {
        this.policies = List.copyOf(policies);
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * The policies named by {@code ids}, in that order. An unknown or repeated id stops the
     * service at start-up: a typo must not silently switch a policy off.
     */
    static List<ModerationPolicy> select(List<String> ids, Collection<ModerationPolicy> available) {
        Map<String, ModerationPolicy> byId = new TreeMap<>();
        for (ModerationPolicy p : available) {
            if (byId.putIfAbsent(p.id(), p) != null) {
                throw new IllegalStateException("two policies claim the id '" + p.id() + "'");
            }
        }
        List<ModerationPolicy> selected = new ArrayList<>();
        var seen = new HashSet<String>();
        for (String id : ids) {
            String key = id.strip();
            ModerationPolicy p = byId.get(key);
            if (p == null) {
                throw new IllegalStateException("chat.moderation.policies names unknown policy '" + key
                        + "'; known: " + byId.keySet());
            }
            if (!seen.add(key)) {
                throw new IllegalStateException("chat.moderation.policies names '" + key + "' twice");
            }
            selected.add(p);
        }
        return selected;
    }

    public List<String> ids() {
        return policies.stream().map(ModerationPolicy::id).toList();
    }

    public Uni<Decision> evaluate(InboundMessage message) {
        return from(0, message, List.of(), List.of());
    }

    private Uni<Decision> from(int index, InboundMessage message, List<String> reasons, List<Redaction> redactions) {
        if (index == policies.size()) {
            Verdict verdict = redactions.isEmpty() ? Verdict.ALLOW : Verdict.REDACT;
            return Uni.createFrom().item(decision(verdict, reasons, redactions));
        }
        return timed(policies.get(index), message).chain(result -> switch (result.verdict()) {
            case ALLOW -> from(index + 1, message, reasons, redactions);
            // What was redacted no longer matters: a blocked text is not delivered at all.
            case BLOCK -> Uni.createFrom().item(decision(Verdict.BLOCK, List.of(result.reason()), List.of()));
            case REDACT -> from(index + 1, message,
                    result.reason() == null ? reasons : plus(reasons, List.of(result.reason())),
                    plus(redactions, result.redactions()));
        });
    }

    private Uni<PolicyResult> timed(ModerationPolicy policy, InboundMessage message) {
        Timer.Sample sample = Timer.start(registry);
        // deferred: a policy that throws instead of returning a failed Uni is timed and handled alike.
        return Uni.createFrom().deferred(() -> policy.evaluate(message))
                .onItemOrFailure().invoke((result, failure) -> sample.stop(registry.timer(TIMER,
                        "policy", policy.id(),
                        "result", failure != null ? "error" : result.verdict().name())));
    }

    private Decision decision(Verdict verdict, List<String> reasons, List<Redaction> redactions) {
        // Millisecond precision, like every other timestamp on the topics.
        return new Decision(verdict, reasons, redactions, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private static <T> List<T> plus(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
