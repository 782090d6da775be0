package io.securechat.session.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Meters computed from the database. */
@ConfigMapping(prefix = "chat.metrics")
public interface MetricsConfig {

    /** How often the conversations-by-state gauge is counted (read by {@code ConversationGauges}' schedule). */
    @WithDefault("PT15S")
    Duration refreshInterval();
}
