package io.securechat.moderation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** The message gate: which policies run, in which order, and how they reach their stores. */
@ConfigMapping(prefix = "chat.moderation")
public interface ModerationConfig {

    /**
     * Policy ids in evaluation order; the first BLOCK wins. The order, cheapest and most decisive
     * first:
     * <ol>
     * <li>{@code bans}: a banned or muted sender is refused before anything else is spent on them;</li>
     * <li>{@code flood}: rate limits cap the work a flood can cause before any text is analysed;</li>
     * <li>{@code impersonation}: looks at the display name only, and refuses every message under a
     *     fake staff name, whatever the text;</li>
     * <li>{@code sensitive-data}: redacts (its spans accumulate with the later policies') or, in a
     *     queue set to block, refuses;</li>
     * <li>{@code phishing}: links and credential requests;</li>
     * <li>{@code spam}: last, because it is the only text policy that counts what it sees (in
     *     Redis): a message another policy refused is not counted as a repeat or a link, and a
     *     Redis outage (spam fails open) affects nothing before it.</li>
     * </ol>
     */
    @WithDefault("bans,flood,impersonation,sensitive-data,phishing,spam")
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
