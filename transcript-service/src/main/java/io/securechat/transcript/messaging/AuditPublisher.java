package io.securechat.transcript.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes audit events and completes only when the broker acknowledged them (acks=all): a read
 * that must be audited is answered only once its record is durable (no record, no answer).
 */
@ApplicationScoped
public class AuditPublisher {

    private final MutinyEmitter<Record<String, String>> emitter;
    private final ObjectMapper json;

    public AuditPublisher(@Channel(Topics.CHANNEL_AUDIT) MutinyEmitter<Record<String, String>> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    public Uni<Void> publish(AuditEvent event) {
        String value;
        try {
            value = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return emitter.send(Record.of(event.resource().key(), value));
    }
}
