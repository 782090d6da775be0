package io.securechat.gateway.ban;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The connect-time ban check against moderation-service's Redis mirror ({@code chat.ban-check.*}). */
@ConfigMapping(prefix = "chat.ban-check")
public interface BanCheckConfig {

    /** Off: connections are not checked at connect time (bans still act per message and by closing sockets). */
    @WithDefault("true")
    boolean enabled();

    /** Bound on the Redis lookup; past it the client is let in and the failure counted. */
    @WithDefault("PT0.2S")
    Duration timeout();
}
