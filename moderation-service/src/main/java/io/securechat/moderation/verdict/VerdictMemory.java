package io.securechat.moderation.verdict;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.securechat.moderation.ModerationConfig;
import io.securechat.moderation.message.EventJson;
import io.securechat.moderation.pipeline.Decision;
import io.securechat.moderation.support.WarningThrottle;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The decision per messageId, in Redis for {@code chat.moderation.verdict-ttl} (24 h), shared by
 * every moderation instance: a redelivered inbound record gets the decision it got the first time
 * and charges no rate-limit tokens again.
 *
 * <p>Redis down degrades, never stops, the gate: a message nobody remembers is evaluated afresh
 * (the only cost is that a redelivery during the outage may be charged twice).
 */
@ApplicationScoped
public class VerdictMemory {

    private static final Logger LOG = Logger.getLogger(VerdictMemory.class);
    static final String PREFIX = "chat:moderation:verdict:";
    static final String FAILURES = "chat.moderation.verdict.memory.failures";

    private final ReactiveValueCommands<String, String> values;
    private final Duration ttl;
    private final Duration timeout;
    private final MeterRegistry registry;
    private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(30));

    public VerdictMemory(ReactiveRedisDataSource redis, ModerationConfig config, MeterRegistry registry) {
        this.values = redis.value(String.class, String.class);
        this.ttl = config.verdictTtl();
        this.timeout = config.redisTimeout();
        this.registry = registry;
    }

    public static String key(String messageId) {
        return PREFIX + messageId;
    }

    /** The decision remembered for this message; null when there is none or Redis cannot tell. */
    public Uni<Decision> recall(String messageId) {
        return values.get(key(messageId))
                .ifNoItem().after(timeout).fail()
                .map(json -> parse(messageId, json))
                .onFailure().recoverWithItem(failure -> unavailable("recall", messageId, failure, null));
    }

    /**
     * Remembers {@code decision} unless a decision is remembered already ({@code SET NX GET}, one
     * atomic step): when two consumers race on the same record (a rebalance), both publish the
     * decision that was stored first.
     *
     * @return the decision that counts for this message
     */
    public Uni<Decision> remember(String messageId, Decision decision) {
        return values.setGet(key(messageId), EventJson.write(decision), new SetArgs().nx().px(ttl))
                .ifNoItem().after(timeout).fail()
                .map(earlier -> {
                    Decision first = parse(messageId, earlier);
                    return first != null ? first : decision;
                })
                .onFailure().recoverWithItem(failure -> unavailable("remember", messageId, failure, decision));
    }

    private Decision parse(String messageId, String json) {
        if (json == null) {
            return null;
        }
        try {
            return EventJson.read(json, Decision.class);
        } catch (JsonProcessingException e) {
            // Not ours (or from an incompatible version): decide afresh rather than fail the message.
            if (warnings.permit()) {
                LOG.warnf("unreadable remembered verdict for message %s ignored: %s", messageId, e.getOriginalMessage());
            }
            return null;
        }
    }

    private Decision unavailable(String operation, String messageId, Throwable failure, Decision fallback) {
        registry.counter(FAILURES, "operation", operation).increment();
        if (warnings.permit()) {
            LOG.warnf("verdict memory unavailable (%s for message %s, Redis: %s); deciding without it",
                    operation, messageId, failure.toString());
        }
        return fallback;
    }
}
