package io.securechat.moderation.flood;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.securechat.moderation.ModerationConfig;
import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.ModerationPolicy;
import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.support.WarningThrottle;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Policy {@code flood}: one token bucket per connection and one per user, in Redis; a message
 * that finds either empty is blocked with {@code rate_limited}.
 *
 * <p>Fails open: when Redis cannot answer, messages pass unlimited (counted in
 * {@code chat_moderation_flood_fail_open_total}, one warning per 30 s). Rate limits protect
 * capacity, not safety; stopping every conversation because a cache is down would be the worse
 * outage, and the gateway still limits each connection on its own.
 */
@ApplicationScoped
public class FloodPolicy implements ModerationPolicy {

    public static final String ID = "flood";
    static final String FAIL_OPEN = "chat.moderation.flood.fail.open";

    private static final Logger LOG = Logger.getLogger(FloodPolicy.class);
    private static final String PREFIX = "chat:moderation:flood:";

    private final TokenBuckets buckets;
    private final BucketSpec perConnection;
    private final BucketSpec perUser;
    private final Duration timeout;
    private final Counter failOpen;
    private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(30));

    public FloodPolicy(TokenBuckets buckets, ModerationConfig config, MeterRegistry registry) {
        this.buckets = buckets;
        ModerationConfig.Flood flood = config.flood();
        this.perConnection = new BucketSpec(flood.connectionCapacity(), flood.connectionRefillPerSecond());
        this.perUser = new BucketSpec(flood.userCapacity(), flood.userRefillPerSecond());
        this.timeout = config.redisTimeout();
        this.failOpen = registry.counter(FAIL_OPEN);
    }

    public static String connectionBucket(String connectionId) {
        return PREFIX + "connection:" + connectionId;
    }

    public static String userBucket(String userId) {
        return PREFIX + "user:" + userId;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Uni<PolicyResult> evaluate(InboundMessage message) {
        Map<String, BucketSpec> charged = new LinkedHashMap<>();
        charged.put(connectionBucket(message.connectionId()), perConnection);
        charged.put(userBucket(message.sender().userId()), perUser);
        return buckets.take(charged)
                .ifNoItem().after(timeout).fail()
                .map(granted -> granted ? PolicyResult.allow() : PolicyResult.block("rate_limited"))
                .onFailure().recoverWithItem(failure -> {
                    failOpen.increment();
                    if (warnings.permit()) {
                        LOG.warnf("flood limits off: Redis unavailable (%s); messages pass unlimited until it answers",
                                failure.toString());
                    }
                    return PolicyResult.allow();
                });
    }
}
