package io.securechat.session.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Where frames go: the gateway nodes and how long to wait for their presence in Redis. */
@ConfigMapping(prefix = "chat.gateway")
public interface DeliveryConfig {

    /**
     * Every gateway node with a delivery topic. Frames go to the nodes in a recipient's presence,
     * and to all of these when Redis cannot answer. A node not listed here gets nothing: its
     * topic may not exist, and producing to a missing topic blocks (auto-creation is off).
     */
    @WithDefault("gw-1,gw-2")
    List<String> nodes();

    /** How long a presence lookup may take before falling back to every node. */
    @WithDefault("PT0.5S")
    Duration presenceTimeout();
}
