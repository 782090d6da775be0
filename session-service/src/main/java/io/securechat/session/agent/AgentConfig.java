package io.securechat.session.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Agent availability settings. */
@ConfigMapping(prefix = "chat.agents")
public interface AgentConfig {

    /** Conversations an agent handles at once when their {@code agent.status} names no capacity. */
    @WithDefault("3")
    int defaultCapacity();

    /** The largest capacity an agent may ask for. */
    @WithDefault("50")
    int maxCapacity();

    /**
     * How long an online or away agent may have no socket on any gateway node before they are
     * set offline and their conversations go back to the queue. Long enough for a page reload,
     * a network change or a rolling restart of a gateway node (drain, then reconnect).
     */
    @WithDefault("PT2M")
    Duration offlineGrace();

    /** How often agents' presence is compared with Redis (read by {@code AgentPresenceWatcher}'s schedule). */
    @WithDefault("PT15S")
    Duration presenceCheckInterval();

    /**
     * How often waiting conversations are offered to agents besides the runs triggered by
     * events (read by {@code Assigner}'s schedule).
     */
    @WithDefault("PT1S")
    Duration assignmentInterval();
}
