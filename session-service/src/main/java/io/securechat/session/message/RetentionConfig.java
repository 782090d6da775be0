package io.securechat.session.message;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long session-service keeps what it stores only for a while. */
@ConfigMapping(prefix = "chat.retention")
public interface RetentionConfig {

    /**
     * Sequenced messages, kept only so {@code conversation.subscribe} can replay them until
     * transcript-service serves history (README: a temporary measure).
     */
    @WithDefault("P7D")
    Duration messages();

    /**
     * Published outbox rows, which remember the command and message ids already handled. Longer
     * than the 7 days the input topics keep records, so any redelivery is still recognised.
     */
    @WithDefault("P8D")
    Duration processedIds();

    /** How often the purge runs (read by {@code RetentionPurge}'s schedule). */
    @WithDefault("PT1H")
    Duration purgeInterval();
}
