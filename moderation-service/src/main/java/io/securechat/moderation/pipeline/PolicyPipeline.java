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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs the configured policies in order, one after the other: the first BLOCK ends the run (no
 * later policy is asked, so a banned user spends no rate-limit tokens), REDACT results
 * accumulate their spans and reasons, and no objection at all means ALLOW.
 *
 * <p>Before the run, the message's settings are looked up from its conversation's queue
 * ({@link QueueResolver}): a policy switched off for that queue is skipped (counted in
 * {@code chat.moderation.policy.skipped}), and the others get the queue's options.
 *
 * <p>Reasons: a BLOCK carries the blocking policy's protocol code first (what the sender is told,
 * the only one session-service reads), then its detail codes; a REDACT carries the detail codes of
 * every redacting policy, each once.
 */
@Singleton
public class PolicyPipeline {

    static final String TIMER = "chat.moderation.policy.evaluation";
    static final String FAILED = "chat.moderation.policy.failures";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PolicyPipeline.class);
    /** Per policy, verdict and detail code: how often each rule fires. All tags are bounded sets. */
    static final String FINDINGS = "chat.moderation.policy.findings";
    static final String SKIPPED = "chat.moderation.policy.skipped";

    /**
     * Policies no queue may switch off: a ban must hold in every queue, or a banned user would
     * simply start a conversation in the queue where bans are off.
     */
    static final Set<String> ALWAYS_ON = Set.of("bans");

    private final List<ModerationPolicy> policies;
    private final QueueResolver queues;
    private final MeterRegistry registry;
    private final Clock clock;

    @Inject
    PolicyPipeline(ModerationConfig config, @Any Instance<ModerationPolicy> available, QueueResolver queues,
            MeterRegistry registry) {
        this(select(config.policies(), available.stream().toList(), queues.disabledByQueue()), queues, registry,
                Clock.systemUTC());
    }

    public PolicyPipeline(List<ModerationPolicy> policies, MeterRegistry registry, Clock clock) {
        this(policies, QueueResolver.DEFAULTS, registry, clock);
    }

    public PolicyPipeline(List<ModerationPolicy> policies, QueueResolver queues, MeterRegistry registry, Clock clock) {
        this.policies = List.copyOf(policies);
        this.queues = queues;
        this.registry = registry;
        this.clock = clock;
    }

    static List<ModerationPolicy> select(List<String> ids, Collection<ModerationPolicy> available) {
        return select(ids, available, Map.of());
    }

    /**
     * The policies named by {@code ids}, in that order. An unknown or repeated id stops the
     * service at start-up: a typo must not silently switch a policy off. The same holds for the
     * ids a queue switches off, and {@link #ALWAYS_ON} policies cannot be switched off at all.
     */
    static List<ModerationPolicy> select(List<String> ids, Collection<ModerationPolicy> available,
            Map<String, Set<String>> disabledByQueue) {
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
        new TreeMap<>(disabledByQueue).forEach((queue, disabled) -> {
            for (String id : disabled) {
                if (!byId.containsKey(id)) {
                    throw new IllegalStateException("chat.policy.queues.\"" + queue + "\".disabled names unknown policy '"
                            + id + "'; known: " + byId.keySet());
                }
                if (ALWAYS_ON.contains(id)) {
                    throw new IllegalStateException("chat.policy.queues.\"" + queue + "\".disabled names '" + id
                            + "', which no queue may switch off");
                }
            }
        });
        return selected;
    }

    public List<String> ids() {
        return policies.stream().map(ModerationPolicy::id).toList();
    }

    public Uni<Decision> evaluate(InboundMessage message) {
        return queues.settingsFor(message).chain(settings -> from(0, message, settings, List.of(), List.of()));
    }

    private Uni<Decision> from(int index, InboundMessage message, QueueSettings settings, List<String> reasons,
            List<Redaction> redactions) {
        if (index == policies.size()) {
            Verdict verdict = redactions.isEmpty() ? Verdict.ALLOW : Verdict.REDACT;
            return Uni.createFrom().item(decision(verdict, reasons, redactions));
        }
        ModerationPolicy policy = policies.get(index);
        if (!settings.enabled(policy.id())) {
            registry.counter(SKIPPED, "policy", policy.id()).increment();
            return from(index + 1, message, settings, reasons, redactions);
        }
        return timed(policy, message, settings).chain(result -> switch (result.verdict()) {
            case ALLOW -> from(index + 1, message, settings, reasons, redactions);
            // What was redacted no longer matters: a blocked text is not delivered at all.
            case BLOCK -> Uni.createFrom().item(decision(Verdict.BLOCK, result.codes(), List.of()));
            case REDACT -> from(index + 1, message, settings, distinct(reasons, result.codes()),
                    plus(redactions, result.redactions()));
        });
    }

    private Uni<PolicyResult> timed(ModerationPolicy policy, InboundMessage message, QueueSettings settings) {
        Timer.Sample sample = Timer.start(registry);
        // deferred: a policy that throws instead of returning a failed Uni is timed and handled alike.
        Uni<PolicyResult> result = Uni.createFrom().deferred(() -> policy.evaluate(message, settings))
                .onItemOrFailure().invoke((r, failure) -> {
                    sample.stop(registry.timer(TIMER, "policy", policy.id(),
                            "result", failure != null ? "error" : r.verdict().name()));
                    if (failure == null && r.verdict() != Verdict.ALLOW) {
                        count(policy.id(), r);
                    }
                });
        if (!policy.deterministic()) {
            return result;
        }
        // A bug or a pathological operator pattern fails the same way on every retry: refuse this one
        // message (the sender is told `internal`) rather than hold every conversation behind it.
        return result.onFailure().recoverWithItem(failure -> {
            registry.counter(FAILED, "policy", policy.id()).increment();
            LOG.errorf("policy %s failed on message %s (conversation %s), refused as internal: %s", policy.id(),
                    message.messageId(), message.conversationId(), failure.getClass().getName());
            return PolicyResult.block("internal", List.of("policy_error." + policy.id()));
        });
    }

    private void count(String policy, PolicyResult result) {
        List<String> codes = result.details().isEmpty() ? result.codes() : result.details();
        for (String code : codes) {
            registry.counter(FINDINGS, "policy", policy, "verdict", result.verdict().name(), "reason", code).increment();
        }
    }

    private Decision decision(Verdict verdict, List<String> reasons, List<Redaction> redactions) {
        // Millisecond precision, like every other timestamp on the topics.
        return new Decision(verdict, reasons, redactions, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private static List<String> distinct(List<String> a, List<String> b) {
        LinkedHashSet<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    private static <T> List<T> plus(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
