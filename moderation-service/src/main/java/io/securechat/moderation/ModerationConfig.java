package io.securechat.moderation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** The message gate: which policies run, in which order, and how they reach their stores. */
@ConfigMapping(prefix = "chat.moderation")
public interface ModerationConfig {

    /** Policy ids in evaluation order; the first BLOCK wins. */
    @WithDefault("bans,flood")
    List<String> policies();

    /** How long the verdict for a messageId is remembered, so a redelivered record gets the same one. */
    @WithDefault("PT24H")
    Duration verdictTtl();

    /** Bound on every Redis call: past it, Redis counts as down for that message. */
    @WithDefault("PT0.5S")
    Duration redisTimeout();

    Retry retry();

    Bans bans();

    Flood flood();

    /**
     * A message whose policies fail (PostgreSQL down, say) is retried with back-off rather than
     * skipped; after {@link #giveUpAfter()} the channel fails and the record is redelivered to
     * the next consumer. Kept below the throttled commit's 60 s unprocessed-record limit.
     */
    interface Retry {
        @WithDefault("PT0.2S")
        Duration initialBackoff();

        @WithDefault("PT5S")
        Duration maxBackoff();

        @WithDefault("PT30S")
        Duration giveUpAfter();
    }

    interface Bans {
        /** Bound on the PostgreSQL lookup of a sender's bans and mutes. */
        @WithDefault("PT2S")
        Duration queryTimeout();
    }

    /** Token buckets: a burst of {@code capacity} messages, then {@code refill-per-second}. */
    interface Flood {
        @WithDefault("10")
        int connectionCapacity();

        @WithDefault("2")
        double connectionRefillPerSecond();

        @WithDefault("20")
        int userCapacity();

        @WithDefault("4")
        double userRefillPerSecond();
    }
}
