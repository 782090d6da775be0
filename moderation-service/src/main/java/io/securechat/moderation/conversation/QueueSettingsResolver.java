package io.securechat.moderation.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.QueueResolver;
import io.securechat.moderation.pipeline.QueueSettings;
import io.securechat.moderation.policy.PolicyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings of a message's queue ({@code chat.policy.queues."<queue>".*}), from the
 * conversation's queue in {@link ConversationQueues}.
 *
 * <p>When no queue has settings of its own, nothing is looked up at all. A message whose queue is
 * not known yet (its conversation's first event not consumed yet: the events and the messages
 * travel on different topics) gets the defaults, counted in
 * {@code chat_moderation_queue_unknown_total}: the defaults are the global settings, so such a
 * message is moderated exactly as in a queue without settings of its own. A lookup that fails
 * (PostgreSQL down) fails the message, which the gate retries, as it does for bans.
 */
@ApplicationScoped
public class QueueSettingsResolver implements QueueResolver {

    static final String UNKNOWN = "chat.moderation.queue.unknown";

    private final ConversationQueues queues;
    private final Map<String, QueueSettings> byQueue;
    private final Map<String, Set<String>> disabled;
    private final Counter unknown;

    public QueueSettingsResolver(ConversationQueues queues, PolicyConfig config, MeterRegistry registry) {
        this.queues = queues;
        Map<String, QueueSettings> settings = new HashMap<>();
        Map<String, Set<String>> off = new TreeMap<>();
        config.queues().forEach((queue, q) -> {
            Set<String> switchedOff = q.disabled().map(s -> Set.copyOf(s.stream().map(String::strip).toList()))
                    .orElse(Set.of());
            Map<String, String> options = new HashMap<>();
            q.sensitiveData().action().ifPresent(a -> options.put("sensitive-data.action", a.name().toLowerCase(Locale.ROOT)));
            settings.put(queue, new QueueSettings(queue, switchedOff, options));
            off.put(queue, switchedOff);
        });
        this.byQueue = Map.copyOf(settings);
        this.disabled = Map.copyOf(off);
        this.unknown = registry.counter(UNKNOWN);
    }

    @Override
    public Uni<QueueSettings> settingsFor(InboundMessage message) {
        if (byQueue.isEmpty()) {
            return Uni.createFrom().item(QueueSettings.DEFAULTS);
        }
        return queues.queueOf(message.conversationId()).map(queue -> {
            if (queue == null) {
                unknown.increment();
                return QueueSettings.DEFAULTS;
            }
            QueueSettings own = byQueue.get(queue);
            return own != null ? own : new QueueSettings(queue, Set.of(), Map.of());
        });
    }

    @Override
    public Map<String, Set<String>> disabledByQueue() {
        return disabled;
    }
}
