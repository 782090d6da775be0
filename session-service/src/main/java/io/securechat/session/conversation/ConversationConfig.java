package io.securechat.session.conversation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Conversation lifecycle settings. */
@ConfigMapping(prefix = "chat.conversations")
public interface ConversationConfig {

    /** An open conversation (waiting or assigned) without activity for this long is closed. */
    @WithDefault("PT30M")
    Duration idleTimeout();

    /** How often the idle close runs (read by {@code IdleCloser}'s schedule). */
    @WithDefault("PT30S")
    Duration idleCheckInterval();
}
