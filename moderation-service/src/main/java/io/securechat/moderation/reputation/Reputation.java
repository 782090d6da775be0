package io.securechat.moderation.reputation;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.securechat.moderation.ModerationConfig;
import io.securechat.moderation.ban.Ban;
import io.securechat.moderation.ban.BanActions;
import io.securechat.moderation.ban.BanOrder;
import io.securechat.moderation.ban.BanStore;
import io.securechat.moderation.ban.Moderator;
import io.securechat.moderation.pipeline.Violation;
import io.securechat.moderation.support.WarningThrottle;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Turns violations into consequences (docs/moderation-actions.md): each {@link Violation} adds
 * its reason's weight to a decaying score per user id and, for guests, per fingerprint; a score
 * at the mute threshold mutes the subject, at the ban threshold bans it, through
 * {@link BanActions} like a moderator's action (actor {@code system:reputation}).
 *
 * <p>One burst acts once: acting takes a Redis lock per (kind, subject) for the action's
 * duration ({@code SET NX}), and a subject already under an active action of that kind (or a ban,
 * for a mute) is left alone. Redis down: the violation is not scored (counted in
 * {@code chat_moderation_reputation_failures_total}); bans already imposed keep working.
 */
@ApplicationScoped
public class Reputation {

    /**
     * Built-in weights per protocol code; {@code chat.reputation.weights.*} overrides them.
     * {@code rate_limited} weighs nothing: flood limits protect capacity and already refuse the
     * excess one message at a time; a fast typer or a client retrying must not end up muted
     * (spam floods are {@code blocked_content} from the spam policy and count).
     */
    public static final Map<String, Double> DEFAULT_WEIGHTS = Map.of(
            "malware", 5.0, "phishing", 3.0, "blocked_content", 2.0, "rate_limited", 0.0);
    static final String REASON = "reputation";
    static final String LOCK_PREFIX = "chat:reputation:acted:";
    static final String VIOLATIONS = "chat.moderation.reputation.violations";
    static final String ACTIONS = "chat.moderation.reputation.actions";
    static final String FAILURES = "chat.moderation.reputation.failures";

    private static final Logger LOG = Logger.getLogger(Reputation.class);

    private final ReputationConfig config;
    private final ReputationScores scores;
    private final BanActions actions;
    private final BanStore bans;
    private final ReactiveValueCommands<String, String> locks;
    private final io.quarkus.redis.datasource.keys.ReactiveKeyCommands<String> keys;
    private final Duration timeout;
    private final MeterRegistry registry;
    private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(30));

    public Reputation(ReputationConfig config, ReputationScores scores, BanActions actions, BanStore bans,
            ReactiveRedisDataSource redis, ModerationConfig moderation, MeterRegistry registry) {
        this.config = config;
        this.scores = scores;
        this.actions = actions;
        this.bans = bans;
        this.locks = redis.value(String.class, String.class);
        this.keys = redis.key(String.class);
        this.timeout = moderation.redisTimeout();
        this.registry = registry;
    }

    /** The weight of a reason code: configured, else built in, else {@code default-weight}. */
    public double weight(String reason) {
        Double configured = config.weights().get(reason);
        if (configured != null) {
            return configured;
        }
        return DEFAULT_WEIGHTS.getOrDefault(reason, config.defaultWeight());
    }

    void onViolation(@ObservesAsync Violation v) {
        if (!config.enabled() || v == null || v.reason() == null) {
            return;
        }
        double w = weight(v.reason());
        if (w <= 0) {
            return;
        }
        registry.counter(VIOLATIONS, "reason", v.reason(), "source", String.valueOf(v.source())).increment();
        if (v.userId() != null && !v.userId().isBlank()) {
            score("USER", v.userId(), w).subscribe().with(x -> {}, t -> {});
        }
        if (v.guestFingerprint() != null && !v.guestFingerprint().isBlank()) {
            score("GUEST_FINGERPRINT", v.guestFingerprint(), w).subscribe().with(x -> {}, t -> {});
        }
    }

    /** Adds the weight and acts on the new score; never fails (failures are counted). */
    Uni<Void> score(String subjectKind, String subject, double weight) {
        return scores.add(subjectKind, subject, weight)
                .chain(score -> {
                    String kind = Escalation.action(score, config.muteThreshold(), config.banThreshold());
                    return kind == null ? Uni.createFrom().voidItem() : act(kind, subjectKind, subject);
                })
                .onFailure().recoverWithItem(t -> {
                    registry.counter(FAILURES).increment();
                    if (warnings.permit()) {
                        LOG.warnf("reputation: a violation could not be scored or acted on: %s", t.toString());
                    }
                    return null;
                });
    }

    private Uni<Void> act(String kind, String subjectKind, String subject) {
        Duration lasts = Ban.BAN.equals(kind) ? config.banDuration() : config.muteDuration();
        String lock = LOCK_PREFIX + kind + ":" + subjectKind + ":" + subject;
        // SET NX PX GET: acquired when nothing was there; the lock lasts as long as the action.
        return locks.setGet(lock, "1", new SetArgs().nx().px(lasts))
                .ifNoItem().after(timeout).fail()
                .chain(previous -> previous != null ? Uni.createFrom().voidItem()
                        : alreadyActing(kind, subjectKind, subject)
                                .chain(busy -> busy ? Uni.createFrom().voidItem() : impose(kind, subjectKind, subject, lasts))
                                // Not imposed after all (PostgreSQL or Kafka down): the next violation tries again.
                                .onFailure().call(() -> keys.del(lock).onFailure().recoverWithNull()));
    }

    private Uni<Boolean> alreadyActing(String kind, String subjectKind, String subject) {
        Uni<Boolean> banned = bans.longest(Ban.BAN, subjectKind, subject).map(b -> b != null);
        if (Ban.BAN.equals(kind)) {
            return banned;
        }
        return banned.chain(b -> b ? Uni.createFrom().item(true)
                : bans.longest(Ban.MUTE, subjectKind, subject).map(m -> m != null));
    }

    private Uni<Void> impose(String kind, String subjectKind, String subject, Duration lasts) {
        Instant expiresAt = Instant.now().plus(lasts).truncatedTo(ChronoUnit.MILLIS);
        return actions.impose(new BanOrder(kind, subjectKind, subject, REASON, expiresAt, null, null), Moderator.REPUTATION)
                .invoke(ban -> registry.counter(ACTIONS, "kind", kind, "outcome", "imposed").increment())
                .onFailure(BanActions.Refused.class).recoverWithItem(t -> {
                    registry.counter(ACTIONS, "kind", kind, "outcome", "refused").increment();
                    return null;
                })
                .replaceWithVoid();
    }
}
