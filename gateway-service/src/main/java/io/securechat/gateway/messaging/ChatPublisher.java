package io.securechat.gateway.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Writes the gateway's records. Each returned Uni completes only when the broker has
 * acknowledged the record (acks=all, idempotent producer): that is what lets the gateway
 * promise, with {@code message.ack}, that a message will not be lost.
 */
@ApplicationScoped
public class ChatPublisher {

    @Inject
    @Channel(Topics.INBOUND)
    MutinyEmitter<String> inbound;

    @Inject
    @Channel(Topics.COMMANDS)
    MutinyEmitter<String> commands;

    @Inject
    @Channel(Topics.AUDIT)
    MutinyEmitter<String> audit;

    public Uni<Void> inbound(String conversationId, ObjectNode record) {
        return send(inbound, conversationId, record);
    }

    public Uni<Void> command(String key, ObjectNode record) {
        return send(commands, key, record);
    }

    public Uni<Void> audit(String key, ObjectNode record) {
        return send(audit, key, record);
    }

    private static Uni<Void> send(MutinyEmitter<String> emitter, String key, ObjectNode record) {
        Message<String> m = Message.of(record.toString())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
        return emitter.sendMessage(m);
    }
}
