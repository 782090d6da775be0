package io.securechat.moderation.report;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** User reports and their evidence ({@code chat.reports.*}). */
@ConfigMapping(prefix = "chat.reports")
public interface ReportsConfig {

    /** transcript-service, whose internal endpoint returns the reported messages. */
    @WithDefault("http://127.0.0.1:8083")
    URI transcriptUrl();

    /** Bound on the evidence read (Keycloak token and transcript call together); past it the report shows without. */
    @WithDefault("PT3S")
    Duration evidenceTimeout();

    Retry retry();

    /** A report command that cannot be stored (PostgreSQL down) is retried, then the channel fails (redelivered). */
    interface Retry {
        @WithDefault("PT0.2S")
        Duration initialBackoff();

        @WithDefault("PT5S")
        Duration maxBackoff();

        @WithDefault("PT30S")
        Duration giveUpAfter();
    }
}
