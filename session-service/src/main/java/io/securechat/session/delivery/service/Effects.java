package io.securechat.session.delivery.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.session.delivery.model.Frames;
import io.securechat.session.delivery.model.Output;
import io.securechat.session.messaging.event.AuditEvent;
import io.securechat.session.messaging.event.CommandRecord;
import io.securechat.session.messaging.event.ConversationEvent;
import io.securechat.session.messaging.event.MessageEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * What one unit of work produces, collected while its transaction runs and published after it
 * commits, in the order added.
 */
public final class Effects {

    private final ObjectMapper json;
    private final List<Output> outputs = new ArrayList<>();
    private final List<Runnable> afterPublish = new ArrayList<>();
    private UUID conversationId;

    public Effects(ObjectMapper json) {
        this.json = json;
    }

    /** A frame to every socket of each recipient, wherever presence finds them. */
    public Effects toUsers(UUID conversationId, Collection<String> recipients, Object frame) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(recipients));
        if (!distinct.isEmpty()) {
            outputs.add(new Output(Output.Target.DELIVERY, conversationId.toString(), json.valueToTree(frame), distinct,
                    null, null, UUID.randomUUID()));
        }
        return this;
    }

    /** A frame to one connection only (replays, rejections, errors). */
    public Effects toConnection(String key, String node, String connectionId, String userId, Object frame) {
        outputs.add(new Output(Output.Target.DELIVERY, key, json.valueToTree(frame), List.of(userId), node, connectionId,
                UUID.randomUUID()));
        return this;
    }

    /** An {@code error} frame to the connection a command came from. */
    public Effects error(CommandRecord command, String code, String message) {
        String key = command.conversationId() != null ? command.conversationId().toString() : command.actor().userId();
        return toConnection(key, command.gatewayNode(), command.connectionId(), command.actor().userId(),
                new Frames.ErrorFrame(Frames.ERROR, code, message, command.frameType()));
    }

    public Effects lifecycle(ConversationEvent event) {
        outputs.add(new Output(Output.Target.CONVERSATIONS, event.conversationId().toString(), json.valueToTree(event),
                null, null, null, null));
        return this;
    }

    public Effects message(MessageEvent event) {
        outputs.add(new Output(Output.Target.MESSAGES, event.conversationId().toString(), json.valueToTree(event), null,
                null, null, null));
        return this;
    }

    public Effects audit(AuditEvent event) {
        outputs.add(new Output(Output.Target.AUDIT, event.resource().key(), json.valueToTree(event), null, null, null,
                null));
        return this;
    }

    /** Runs once the outputs are acknowledged (metrics, triggering the next job), never on a redelivery. */
    public Effects afterPublish(Runnable action) {
        afterPublish.add(action);
        return this;
    }

    /**
     * The conversation a job's outputs are about: until they are published, jobs leave that
     * conversation alone, so its frames stay in order.
     */
    public Effects concerning(UUID id) {
        this.conversationId = id;
        return this;
    }

    UUID conversationId() {
        return conversationId;
    }

    public List<Output> outputs() {
        return List.copyOf(outputs);
    }

    List<Runnable> afterPublishActions() {
        return List.copyOf(afterPublish);
    }
}
