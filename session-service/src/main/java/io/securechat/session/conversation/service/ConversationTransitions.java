package io.securechat.session.conversation.service;

import io.securechat.session.Instants;
import io.securechat.session.agent.repository.AgentRepository;
import io.securechat.session.conversation.model.Conversation;
import io.securechat.session.conversation.model.ConversationState;
import io.securechat.session.conversation.model.QueueSnapshot;
import io.securechat.session.conversation.repository.ConversationRepository;
import io.securechat.session.delivery.model.Frames;
import io.securechat.session.delivery.model.Frames.AgentRef;
import io.securechat.session.delivery.model.Frames.ConversationFrame;
import io.securechat.session.delivery.service.Effects;
import io.securechat.session.messaging.event.ActorRecord;
import io.securechat.session.messaging.event.AuditEvent;
import io.securechat.session.messaging.event.ConversationEvent;
import io.securechat.session.metrics.SessionMetrics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state changes of a conversation, shared by commands and jobs. Each runs inside the
 * caller's transaction, with the conversation rows locked and then the lifecycle lock taken
 * ({@link ConversationRepository#lockLifecycle}); each adds the frames and events that
 * describe it, including the new queue positions of the customers still waiting.
 */
@ApplicationScoped
public class ConversationTransitions {

    public static final String CONVERSATION = "conversation";

    private final ConversationRepository conversations;
    private final AgentRepository agents;
    private final SessionMetrics metrics;

    public ConversationTransitions(ConversationRepository conversations, AgentRepository agents, SessionMetrics metrics) {
        this.conversations = conversations;
        this.agents = agents;
        this.metrics = metrics;
    }

    /**
     * Gives the conversation to an agent and tells everyone in it, the new agent included:
     * {@code conversation.assigned}, or {@code conversation.transferred} when it had an agent.
     */
    public Uni<Void> assign(SqlConnection c, Effects fx, Conversation conv, AgentRef agent, ActorRecord actor,
            String reason) {
        Instant now = Instants.now();
        boolean transfer = conv.agentId() != null;
        return leaveQueue(c, fx, conv, now)
                .chain(() -> conversations.assign(c, conv.id(), agent.userId(), now))
                .chain(() -> agents.touchAssigned(c, agent.userId(), now))
                .invoke(() -> {
                    Set<String> recipients = new LinkedHashSet<>(conv.participants());
                    recipients.add(agent.userId());
                    String frame = transfer ? Frames.TRANSFERRED : Frames.ASSIGNED;
                    fx.toUsers(conv.id(), recipients,
                            new ConversationFrame(frame, conv.id(), conv.clientRef(), conv.queue(), agent, null));
                    fx.lifecycle(ConversationEvent.of(transfer ? ConversationEvent.TRANSFERRED : ConversationEvent.ASSIGNED,
                            conv.id(), conv.queue(), conv.customerId(), agent.userId(), actor, reason));
                    fx.audit(AuditEvent.of(actor, transfer ? "conversation.transferred" : "conversation.assigned",
                            CONVERSATION, conv.id().toString(), AuditEvent.SUCCESS,
                            details("queue", conv.queue(), "agentId", agent.userId(), "fromAgentId", conv.agentId(),
                                    "reason", reason)));
                });
    }

    /**
     * Puts the conversation (back) in a queue: at the end for a {@code transfer}, or at its old
     * place when its agent went offline, so that customer does not wait twice.
     */
    public Uni<Void> enqueue(SqlConnection c, Effects fx, Conversation conv, String queue, boolean transfer,
            ActorRecord actor, String reason) {
        Instant now = Instants.now();
        Instant queuedAt = transfer ? now : conv.queueEntry().queuedAt();
        QueueSnapshot.Entry entry = new QueueSnapshot.Entry(conv.id(), conv.customerId(), conv.clientRef(), queuedAt);
        return leaveQueue(c, fx, conv, now)
                .chain(() -> conversations.queue(c, queue))
                .chain(before -> conversations.requeue(c, conv.id(), queue, queuedAt, now).invoke(() -> {
                    QueueSnapshot after = before.with(entry);
                    // Everyone in it learns where it went (the agent who loses it included)...
                    fx.toUsers(conv.id(), conv.participants(), new ConversationFrame(Frames.TRANSFERRED, conv.id(),
                            conv.clientRef(), queue, null, after.positionOf(conv.id())));
                    // ...and the customers whose place changed, this one included, their position.
                    positions(fx, before, after);
                    if (transfer) {
                        fx.lifecycle(ConversationEvent.of(ConversationEvent.TRANSFERRED, conv.id(), queue,
                                conv.customerId(), null, actor, reason));
                    }
                    fx.lifecycle(ConversationEvent.of(ConversationEvent.QUEUED, conv.id(), queue, conv.customerId(), null,
                            actor, reason));
                    fx.audit(AuditEvent.of(actor, "conversation.queued", CONVERSATION, conv.id().toString(),
                            AuditEvent.SUCCESS, details("queue", queue, "fromQueue", conv.queue(),
                                    "fromAgentId", conv.agentId(), "reason", reason)));
                }));
    }

    public Uni<Void> close(SqlConnection c, Effects fx, Conversation conv, ActorRecord actor, String reason) {
        Instant now = Instants.now();
        return leaveQueue(c, fx, conv, now)
                .chain(() -> conversations.close(c, conv.id(), now))
                .invoke(() -> {
                    fx.toUsers(conv.id(), conv.participants(),
                            new ConversationFrame(Frames.CLOSED, conv.id(), conv.clientRef(), conv.queue(), agentOf(conv), null));
                    fx.lifecycle(ConversationEvent.of(ConversationEvent.CLOSED, conv.id(), conv.queue(), conv.customerId(),
                            conv.agentId(), actor, reason));
                    fx.audit(AuditEvent.of(actor, "conversation.closed", CONVERSATION, conv.id().toString(),
                            AuditEvent.SUCCESS, details("queue", conv.queue(), "agentId", conv.agentId(), "reason", reason)));
                    fx.afterPublish(() -> metrics.closed(reason));
                });
    }

    /** Closes several conversations in one transaction (idle close), one after the other. */
    public Uni<Void> closeAll(SqlConnection c, Effects fx, List<Conversation> convs, String reason) {
        return Multi.createFrom().iterable(convs)
                .onItem().transformToUniAndConcatenate(conv -> close(c, fx, conv, null, reason))
                .collect().last().replaceWithVoid();
    }

    /** The {@code conversation.queued} frames for the customers whose position changed. */
    public void positions(Effects fx, QueueSnapshot before, QueueSnapshot after) {
        after.changedSince(before).forEach((entry, position) -> fx.toUsers(entry.id(), List.of(entry.customerId()),
                new ConversationFrame(Frames.QUEUED, entry.id(), entry.clientRef(), after.queue(), null, position)));
    }

    public static AgentRef agentOf(Conversation conv) {
        return conv.agentId() == null ? null : new AgentRef(conv.agentId(), conv.agentDisplayName());
    }

    /** When a waiting conversation leaves its queue: the others move up, and its wait is measured. */
    private Uni<Void> leaveQueue(SqlConnection c, Effects fx, Conversation conv, Instant now) {
        if (conv.state() != ConversationState.QUEUED) {
            return Uni.createFrom().voidItem();
        }
        return conversations.queue(c, conv.queue()).invoke(before -> {
            positions(fx, before, before.without(conv.id()));
            Duration waited = Duration.between(conv.queueEntry().queuedAt(), now);
            fx.afterPublish(() -> metrics.queueWait(conv.queue(), waited.isNegative() ? Duration.ZERO : waited));
        }).replaceWithVoid();
    }

    /** Audit details without the absent values (ids and codes only, never text). */
    static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                out.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return out;
    }
}
