package io.securechat.moderation.policy.spam;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.securechat.moderation.ModerationConfig;
import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.ModerationPolicy;
import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.policy.PolicyConfig;
import io.securechat.moderation.policy.phishing.LinkFinder;
import io.securechat.moderation.support.WarningThrottle;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Policy {@code spam}: blocks with {@code blocked_content} and
 * <ul>
 * <li>{@code spam.cross_conversation}: the same text (by {@link Fingerprint}) from one sender reaching
 *     its N-th distinct conversation within the window; agents and supervisors are exempt (canned
 *     replies are their job), and texts shorter than the minimum length never count;</li>
 * <li>{@code spam.link_flood}: more than K links from one sender within the window;</li>
 * <li>{@code spam.repeat}: the M-th identical message in a row from one sender in one conversation.</li>
 * </ul>
 * Thresholds: {@code chat.policy.spam.*}. Counters in Redis ({@link SpamStore}), each call bounded
 * by {@code chat.moderation.redis-timeout}.
 *
 * <p>Fails open: when Redis cannot answer, the message passes (counted in
 * {@code chat_moderation_spam_fail_open_total}, one warning per 30 s). Spam is a nuisance, not a
 * security boundary: holding every conversation because a cache is down would be the worse
 * outage. Bans, unlike spam, fail closed.
 */
@ApplicationScoped
public class SpamPolicy implements ModerationPolicy {

    public static final String ID = "spam";
    public static final String CROSS_CONVERSATION = "spam.cross_conversation";
    public static final String LINK_FLOOD = "spam.link_flood";
    public static final String REPEAT = "spam.repeat";
    static final String FAIL_OPEN = "chat.moderation.spam.fail.open";
    static final Set<String> EXEMPT_FROM_CROSS = Set.of("agent", "supervisor");

    private static final Logger LOG = Logger.getLogger(SpamPolicy.class);

    private final SpamStore store;
    private final PolicyConfig.Spam config;
    private final Duration timeout;
    private final Counter failOpen;
    private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(30));

    @Inject
    public SpamPolicy(SpamStore store, PolicyConfig config, ModerationConfig moderation, MeterRegistry registry) {
        this(store, config.spam(), moderation.redisTimeout(), registry);
    }

    public SpamPolicy(SpamStore store, PolicyConfig.Spam config, Duration timeout, MeterRegistry registry) {
        if (config.crossConversation().conversations() < 2 || config.repeat().times() < 2 || config.links().max() < 0) {
            throw new IllegalStateException("chat.policy.spam: cross-conversation.conversations and repeat.times must be"
                    + " at least 2 (one message is never spam), links.max at least 0");
        }
        this.store = store;
        this.config = config;
        this.timeout = timeout;
        this.failOpen = registry.counter(FAIL_OPEN);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Uni<PolicyResult> evaluate(InboundMessage message) {
        String text = message.text();
        if (text == null || text.isBlank()) {
            // Attachments only: nothing to repeat or to link.
            return Uni.createFrom().item(PolicyResult.allow());
        }
        SpamObservation observation = observe(message);
        return Uni.createFrom().deferred(() -> store.record(observation))
                .ifNoItem().after(timeout).fail()
                .map(counts -> judge(observation, counts))
                .onFailure().recoverWithItem(failure -> {
                    failOpen.increment();
                    if (warnings.permit()) {
                        LOG.warnf("spam limits off: Redis unavailable (%s); messages pass unchecked for spam until it answers",
                                failure.toString());
                    }
                    return PolicyResult.allow();
                });
    }

    SpamObservation observe(InboundMessage message) {
        String text = message.text();
        boolean exempt = message.sender().roles().stream().anyMatch(EXEMPT_FROM_CROSS::contains);
        String hash = Fingerprint.of(text);
        boolean longEnough = Fingerprint.normalize(text).length() >= config.crossConversation().minLength();
        return new SpamObservation(message.sender().userId(), message.conversationId(), message.messageId(),
                !exempt && longEnough ? hash : null, LinkFinder.find(text).size(), hash,
                config.crossConversation().window(), config.links().window(), config.repeat().window());
    }

    PolicyResult judge(SpamObservation observation, SpamCounts counts) {
        List<String> details = new ArrayList<>();
        if (observation.crossHash() != null && counts.conversations() >= config.crossConversation().conversations()) {
            details.add(CROSS_CONVERSATION);
        }
        if (observation.links() > 0 && counts.links() > config.links().max()) {
            details.add(LINK_FLOOD);
        }
        if (counts.repeats() >= config.repeat().times()) {
            details.add(REPEAT);
        }
        return details.isEmpty() ? PolicyResult.allow() : PolicyResult.block("blocked_content", details);
    }
}
