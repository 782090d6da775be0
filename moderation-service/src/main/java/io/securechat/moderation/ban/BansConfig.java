package io.securechat.moderation.ban;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Bans beyond the message path: the Redis mirror the gateway reads ({@code chat.bans.*}). */
@ConfigMapping(prefix = "chat.bans")
public interface BansConfig {

    /** How often the Redis mirror is rebuilt from PostgreSQL (a lost Redis heals within this). */
    @WithDefault("PT1M")
    Duration mirrorRefresh();

    /** How long a user seen with a staff role is remembered as staff. */
    @WithDefault("P30D")
    Duration staffMemory();
}
