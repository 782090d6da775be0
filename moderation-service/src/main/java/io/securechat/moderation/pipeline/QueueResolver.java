package io.securechat.moderation.pipeline;

import io.securechat.moderation.message.InboundMessage;
import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.Set;

/**
 * Finds the settings for a message from its conversation's queue. A failed {@code Uni} means the
 * queue could not be looked up (the database is down): the gate then retries the message, as it
 * does when the bans cannot be read.
 */
public interface QueueResolver {

    /** Every message gets the defaults: what the pipeline uses when no queue has settings of its own. */
    QueueResolver DEFAULTS = new QueueResolver() {
        @Override
        public Uni<QueueSettings> settingsFor(InboundMessage message) {
            return Uni.createFrom().item(QueueSettings.DEFAULTS);
        }

        @Override
        public Map<String, Set<String>> disabledByQueue() {
            return Map.of();
        }
    };

    Uni<QueueSettings> settingsFor(InboundMessage message);

    /** Policy ids switched off, per configured queue: checked against the known policies at start-up. */
    Map<String, Set<String>> disabledByQueue();
}
