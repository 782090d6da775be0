package io.securechat.session.delivery.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.session.delivery.DeliveryConfig;
import io.securechat.session.delivery.model.Output;
import io.securechat.session.messaging.Topics;
import io.securechat.session.messaging.event.DeliveryRecord;
import io.securechat.session.metrics.SessionMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Produces outputs to Kafka. The returned Uni completes only when the broker acknowledged every
 * record (acks=all, idempotent producer), so callers commit an input offset or mark an outbox
 * row only after that. Records are handed to the producer in list order, which keeps the order
 * of the frames of one conversation (one key, one partition).
 */
@ApplicationScoped
public class OutputPublisher {

    private static final Logger LOG = Logger.getLogger(OutputPublisher.class);

    @Inject
    @Channel(Topics.CHANNEL_MESSAGES)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> messages;

    @Inject
    @Channel(Topics.CHANNEL_CONVERSATIONS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> conversations;

    @Inject
    @Channel(Topics.CHANNEL_AUDIT)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> audit;

    @Inject
    @Channel(Topics.CHANNEL_DELIVERY)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> delivery;

    @Inject
    ObjectMapper json;

    @Inject
    PresenceLookup presence;

    @Inject
    DeliveryConfig config;

    @Inject
    SessionMetrics metrics;

    private final Map<String, Long> unknownNodeWarnings = new ConcurrentHashMap<>();

    public Uni<Void> publish(List<Output> outputs) {
        if (outputs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<String> routed = new LinkedHashSet<>();
        for (Output o : outputs) {
            if (o.target() == Output.Target.DELIVERY && o.connectionId() == null) {
                routed.addAll(o.recipients());
            }
        }
        return presence.nodesOf(routed).chain(nodes -> {
            List<Uni<Void>> sends = new ArrayList<>();
            for (Output o : outputs) {
                switch (o.target()) {
                    case DELIVERY -> deliver(o, nodes, sends);
                    case MESSAGES -> sends.add(send(messages, null, o.key(), o.payload()));
                    case CONVERSATIONS -> sends.add(send(conversations, null, o.key(), o.payload()));
                    case AUDIT -> sends.add(send(audit, null, o.key(), o.payload()));
                }
            }
            return sends.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sends).andFailFast().replaceWithVoid();
        });
    }

    private void deliver(Output o, Optional<Map<String, Set<String>>> nodes, List<Uni<Void>> sends) {
        Map<String, List<String>> byNode;
        if (o.connectionId() != null) {
            if (!config.nodes().contains(o.node())) {
                warnUnknownNode(o.node());
                return;
            }
            byNode = Map.of(o.node(), o.recipients());
        } else {
            byNode = DeliveryRouting.route(o.recipients(), nodes, config.nodes());
        }
        String type = o.frameType();
        byNode.forEach((node, recipients) -> {
            DeliveryRecord record = new DeliveryRecord(1, o.deliveryId(), recipients, o.connectionId(), o.payload());
            sends.add(send(delivery, Topics.delivery(node), o.key(), record).invoke(() -> metrics.delivered(type)));
        });
    }

    /** Once per node and 10 minutes: a misconfigured node must not flood the log. */
    private void warnUnknownNode(String node) {
        long now = System.currentTimeMillis();
        Long last = unknownNodeWarnings.get(node);
        if ((last == null || now - last > 600_000) && unknownNodeWarnings.size() < 1_000) {
            unknownNodeWarnings.put(node, now);
            LOG.warnf("frames for connections on gateway node '%s' are dropped: not in chat.gateway.nodes", node);
        }
    }

    private Uni<Void> send(MutinyEmitter<String> emitter, String topic, String key, Object payload) {
        String value;
        try {
            value = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key);
        if (topic != null) {
            metadata.withTopic(topic);
        }
        return emitter.sendMessage(Message.of(value).addMetadata(metadata.build()));
    }
}
