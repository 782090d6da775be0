package io.securechat.moderation.conversation;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.securechat.moderation.message.EventJson;
import io.securechat.moderation.support.WarningThrottle;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps {@link ConversationQueues} from {@code chat.conversations.v1}: consumer group
 * {@code moderation-service-queues} (tests: {@code moderation-service-queues-it}), at-least-once
 * (throttled commits after the row is written; the write is idempotent and ordered by
 * {@code occurredAt}). When PostgreSQL is down the record is retried with back-off while its
 * partition waits; a record that can never be used (not JSON, no conversationId or queue) is
 * counted, logged by partition and offset, and skipped.
 */
@ApplicationScoped
public class ConversationEventConsumer {

    public static final String CHANNEL = "chat-conversations";
    static final String EVENTS = "chat.moderation.conversation.events";

    private static final Logger LOG = Logger.getLogger(ConversationEventConsumer.class);

    private final ConversationQueues queues;
    private final MeterRegistry registry;
    private final WarningThrottle skipWarnings = new WarningThrottle(Duration.ofSeconds(30));
    private final WarningThrottle retryWarnings = new WarningThrottle(Duration.ofSeconds(30));

    public ConversationEventConsumer(ConversationQueues queues, MeterRegistry registry) {
        this.queues = queues;
        this.registry = registry;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        ConversationEvent event;
        String problem;
        try {
            event = record.value() == null ? null : EventJson.read(record.value(), ConversationEvent.class);
            problem = event == null ? "empty record" : event.problem();
        } catch (JsonProcessingException e) {
            event = null;
            problem = "not a chat.conversations.v1 payload";
        }
        if (problem != null) {
            count("skipped");
            if (skipWarnings.permit()) {
                LOG.warnf("skipped a record at %s-%d offset %d: %s", record.topic(), record.partition(), record.offset(),
                        problem);
            }
            return Uni.createFrom().voidItem();
        }
        ConversationEvent usable = event;
        return Uni.createFrom().deferred(() -> queues.record(usable))
                .onFailure().invoke(failure -> {
                    if (retryWarnings.permit()) {
                        LOG.warnf("cannot store the queue of conversation %s yet, retrying: %s", usable.conversationId(),
                                failure.toString());
                    }
                })
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .invoke(stored -> count(stored ? "stored" : "stale"))
                .replaceWithVoid();
    }

    private void count(String outcome) {
        registry.counter(EVENTS, "outcome", outcome).increment();
    }
}
