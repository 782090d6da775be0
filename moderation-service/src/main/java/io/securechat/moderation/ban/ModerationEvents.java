package io.securechat.moderation.ban;

import io.securechat.moderation.message.AuditEvent;
import io.securechat.moderation.message.EventJson;
import io.securechat.moderation.message.MessageGate;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Writes what moderators and reputation do: {@code moderation.actions.v1} (key the subject) and
 * {@code audit.events.v1} (key the resource). Each Uni completes when the broker acknowledged
 * the record (acks=all, idempotent producers).
 */
@ApplicationScoped
public class ModerationEvents {

    public static final String ACTIONS = "moderation-actions";

    private final MutinyEmitter<String> actions;
    private final MutinyEmitter<String> audit;

    public ModerationEvents(@Channel(ACTIONS) MutinyEmitter<String> actions,
            @Channel(MessageGate.AUDIT) MutinyEmitter<String> audit) {
        this.actions = actions;
        this.audit = audit;
    }

    public Uni<Void> action(ActionEvent event) {
        return actions.sendMessage(KafkaRecord.of(event.subject(), EventJson.write(event)));
    }

    public Uni<Void> audit(AuditEvent event) {
        return audit.sendMessage(KafkaRecord.of(event.resource().key(), EventJson.write(event)));
    }
}
