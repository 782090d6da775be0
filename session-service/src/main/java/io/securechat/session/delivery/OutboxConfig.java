package io.securechat.session.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The outbox relay, which publishes what a crashed or failed writer left unpublished. */
@ConfigMapping(prefix = "chat.outbox")
public interface OutboxConfig {

    /**
     * How old an unpublished row must be before the relay takes it: well above the time a
     * healthy writer needs to publish, so the relay rarely publishes a row twice.
     */
    @WithDefault("PT30S")
    Duration relayAfter();

    /** How often the relay looks for such rows (read by {@code OutboxRelay}'s schedule). */
    @WithDefault("PT10S")
    Duration relayInterval();
}
