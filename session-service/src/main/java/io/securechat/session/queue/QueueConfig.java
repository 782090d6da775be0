package io.securechat.session.queue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.Map;

/** The queues conversations wait in, keyed by their id ({@code chat.queues.<id>.*}). */
@ConfigMapping(prefix = "chat.queues")
public interface QueueConfig {

    @WithParentName
    Map<String, Queue> queues();

    interface Queue {
        String displayName();

        /**
         * Whether waiting conversations go to online agents by themselves; when false, agents
         * pick them from the queue view ({@code conversation.accept}).
         */
        @WithDefault("true")
        boolean autoAssign();
    }
}
