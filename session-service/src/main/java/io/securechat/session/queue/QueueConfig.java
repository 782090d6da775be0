package io.securechat.session.queue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.util.Map;

/** The queues conversations wait in, keyed by their id ({@code chat.queues.<id>.*}). */
@ConfigMapping(prefix = "chat")
public interface QueueConfig {

    @WithName("queues")
    Map<String, Queue> queues();

    interface Queue {
        String displayName();
    }
}
