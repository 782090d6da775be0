package io.securechat.session.conversation.service;

import static io.securechat.session.conversation.service.ConversationTransitions.CONVERSATION;
import static io.securechat.session.conversation.service.ConversationTransitions.details;

import io.securechat.session.Instants;
import io.securechat.session.agent.AgentConfig;
import io.securechat.session.agent.model.Agent;
import io.securechat.session.agent.model.AgentStatus;
import io.securechat.session.agent.repository.AgentRepository;
import io.securechat.session.agent.service.Assigner;
import io.securechat.session.conversation.model.Conversation;
import io.securechat.session.conversation.model.ConversationAccess;
import io.securechat.session.conversation.model.ConversationAccess.Action;
import io.securechat.session.conversation.model.ConversationAccess.Decision;
import io.securechat.session.conversation.model.ConversationState;
import io.securechat.session.conversation.model.Relation;
import io.securechat.session.conversation.repository.ConversationRepository;
import io.securechat.session.delivery.model.ErrorCodes;
import io.securechat.session.delivery.model.Frames;
import io.securechat.session.delivery.model.Frames.AgentRef;
import io.securechat.session.delivery.model.Frames.ConversationFrame;
import io.securechat.session.delivery.service.Effects;
import io.securechat.session.delivery.service.TransactionalOutbox;
import io.securechat.session.message.repository.MessageRepository;
import io.securechat.session.messaging.event.ActorRecord;
import io.securechat.session.messaging.event.AuditEvent;
import io.securechat.session.messaging.event.CommandRecord;
import io.securechat.session.messaging.event.ConversationEvent;
import io.securechat.session.queue.QueueConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The conversation commands of {@code chat.commands.v1}. Those that change state run once per
 * commandId in one transaction with their outputs (see {@link TransactionalOutbox}); typing,
 * read and replays change nothing and are simply repeated on a redelivery.
 */
@ApplicationScoped
public class ConversationService {

    /** Messages per replay batch: each batch is acknowledged by the broker before the next is read. */
    static final int REPLAY_BATCH = 200;

    private final TransactionalOutbox tx;
    private final Pool pool;
    private final ConversationRepository conversations;
    private final ConversationTransitions transitions;
    private final AgentRepository agents;
    private final MessageRepository messages;
    private final QueueConfig queues;
    private final AgentConfig agentConfig;
    private final Assigner assigner;

    public ConversationService(TransactionalOutbox tx, Pool pool, ConversationRepository conversations,
            ConversationTransitions transitions, AgentRepository agents, MessageRepository messages, QueueConfig queues,
            AgentConfig agentConfig, Assigner assigner) {
        this.tx = tx;
        this.pool = pool;
        this.conversations = conversations;
        this.transitions = transitions;
        this.agents = agents;
        this.messages = messages;
        this.queues = queues;
        this.agentConfig = agentConfig;
        this.assigner = assigner;
    }

    static String source(CommandRecord cmd) {
        return "command:" + cmd.commandId();
    }

    public Uni<Void> start(CommandRecord cmd) {
        ActorRecord actor = cmd.actor();
        return tx.once(source(cmd), cmd.conversationId(), (c, fx) -> {
            if (!actor.isCustomer()) {
                deny(fx, cmd, Decision.FORBIDDEN);
                return Uni.createFrom().voidItem();
            }
            if (cmd.queue() == null || !queues.queues().containsKey(cmd.queue())) {
                fx.error(cmd, ErrorCodes.BAD_REQUEST, "There is no queue with that id.");
                return Uni.createFrom().voidItem();
            }
            Instant now = Instants.now();
            // Row first (the insert locks it), then the lifecycle lock: the lock order of every transition.
            return conversations.insertQueued(c, cmd.conversationId(), cmd.queue(), actor.userId(), actor.displayName(),
                            actor.guest(), cmd.clientRef(), cmd.subject(), now)
                    .chain(inserted -> {
                        if (!inserted) {
                            // The gateway gives a repeated start (same customer, same clientRef: a
                            // client that lost the answer in a drop) the same id: answer it again.
                            return conversations.find(c, cmd.conversationId()).invoke(existing -> {
                                if (existing != null && actor.userId().equals(existing.customerId())
                                        && java.util.Objects.equals(cmd.clientRef(), existing.clientRef())) {
                                    fx.toUsers(cmd.conversationId(), List.of(actor.userId()), new ConversationFrame(
                                            Frames.STARTED, cmd.conversationId(), cmd.clientRef(), existing.queue(), null, null));
                                } else {
                                    fx.error(cmd, ErrorCodes.BAD_REQUEST, "A conversation with that id exists already.");
                                }
                            }).replaceWithVoid();
                        }
                        return conversations.lockLifecycle(c)
                                .chain(() -> conversations.queue(c, cmd.queue()))
                                .invoke(after -> {
                                    fx.toUsers(cmd.conversationId(), List.of(actor.userId()), new ConversationFrame(
                                            Frames.STARTED, cmd.conversationId(), cmd.clientRef(), cmd.queue(), null, null));
                                    transitions.positions(fx, after.without(cmd.conversationId()), after);
                                    fx.lifecycle(ConversationEvent.of(ConversationEvent.STARTED, cmd.conversationId(),
                                            cmd.queue(), actor.userId(), null, actor, null));
                                    fx.lifecycle(ConversationEvent.of(ConversationEvent.QUEUED, cmd.conversationId(),
                                            cmd.queue(), actor.userId(), null, actor, null));
                                    fx.audit(AuditEvent.of(actor, "conversation.started", CONVERSATION,
                                            cmd.conversationId().toString(), AuditEvent.SUCCESS,
                                            details("queue", cmd.queue())));
                                    fx.afterPublish(assigner::trigger);
                                })
                                .replaceWithVoid();
                    });
        });
    }

    /**
     * Replays the stored messages after {@code afterSeq} to the subscribing connection, in seq
     * order, then tells it the conversation's state now (a client that was away may have missed
     * a position change, an assignment or the close). Commands and messages of a conversation
     * are handled one at a time by the same consumer (README), so a message sequenced later is
     * delivered after this replay.
     */
    public Uni<Void> subscribe(CommandRecord cmd) {
        ActorRecord actor = cmd.actor();
        return conversations.find(pool, cmd.conversationId()).chain(conv -> {
            Decision decision = ConversationAccess.decide(Action.SUBSCRIBE, actor, conv);
            if (decision != Decision.ALLOW) {
                return tx.publish(denied(cmd, decision));
            }
            Uni<Void> join = conv.relationOf(actor.userId()) == Relation.NONE
                    ? joinAsSupervisor(cmd)
                    : Uni.createFrom().voidItem();
            long afterSeq = cmd.afterSeq() == null ? 0 : Math.max(0, cmd.afterSeq());
            return join.chain(() -> replay(cmd, afterSeq)).chain(() -> currentState(cmd, conv));
        });
    }

    private Uni<Void> currentState(CommandRecord cmd, Conversation conv) {
        Uni<Integer> position = conv.state() == ConversationState.QUEUED
                ? conversations.queue(pool, conv.queue()).map(q -> q.positionOf(conv.id()))
                : Uni.createFrom().nullItem();
        return position.chain(p -> {
            String type = switch (conv.state()) {
                case QUEUED -> Frames.QUEUED;
                case ASSIGNED -> Frames.ASSIGNED;
                case CLOSED -> Frames.CLOSED;
            };
            ConversationFrame frame = new ConversationFrame(type, conv.id(), conv.clientRef(), conv.queue(),
                    ConversationTransitions.agentOf(conv), p == null || p == 0 ? null : p);
            return tx.publish(tx.effects().toConnection(conv.id().toString(), cmd.gatewayNode(), cmd.connectionId(),
                    cmd.actor().userId(), frame));
        });
    }

    private Uni<Void> joinAsSupervisor(CommandRecord cmd) {
        return tx.once(source(cmd), cmd.conversationId(), (c, fx) -> conversations.addSupervisor(c,
                cmd.conversationId(), cmd.actor().userId()).invoke(added -> {
                    if (added) {
                        fx.audit(AuditEvent.of(cmd.actor(), "conversation.supervisor_joined", CONVERSATION,
                                cmd.conversationId().toString(), AuditEvent.SUCCESS, details()));
                    }
                }).replaceWithVoid());
    }

    private Uni<Void> replay(CommandRecord cmd, long afterSeq) {
        return messages.after(pool, cmd.conversationId(), afterSeq, REPLAY_BATCH).chain(batch -> {
            if (batch.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Effects fx = tx.effects();
            batch.forEach(m -> fx.toConnection(cmd.conversationId().toString(), cmd.gatewayNode(), cmd.connectionId(),
                    cmd.actor().userId(), Frames.MessageFrame.of(m)));
            Uni<Void> sent = tx.publish(fx);
            return batch.size() < REPLAY_BATCH ? sent : sent.chain(() -> replay(cmd, batch.getLast().seq()));
        });
    }

    public Uni<Void> accept(CommandRecord cmd) {
        ActorRecord actor = cmd.actor();
        return tx.once(source(cmd), cmd.conversationId(), (c, fx) -> conversations.lock(c, cmd.conversationId())
                .chain(conv -> {
                    Decision decision = ConversationAccess.decide(Action.ACCEPT, actor, conv);
                    if (decision != Decision.ALLOW) {
                        deny(fx, cmd, decision);
                        return Uni.createFrom().voidItem();
                    }
                    if (conv.state() != ConversationState.QUEUED) {
                        return Uni.createFrom().voidItem(); // already theirs
                    }
                    Instant now = Instants.now();
                    return conversations.lockLifecycle(c)
                            .chain(() -> agents.ensure(c, actor.userId(), actor.displayName(),
                                    agentConfig.defaultCapacity(), now))
                            .chain(() -> transitions.assign(c, fx, conv, new AgentRef(actor.userId(), actor.displayName()),
                                    actor, "accepted"));
                }));
    }

    public Uni<Void> transfer(CommandRecord cmd) {
        ActorRecord actor = cmd.actor();
        return tx.once(source(cmd), cmd.conversationId(), (c, fx) -> conversations.lock(c, cmd.conversationId())
                .chain(conv -> {
                    Decision decision = ConversationAccess.decide(Action.TRANSFER, actor, conv);
                    if (decision != Decision.ALLOW) {
                        deny(fx, cmd, decision);
                        return Uni.createFrom().voidItem();
                    }
                    boolean toQueue = cmd.toQueue() != null && !cmd.toQueue().isBlank();
                    boolean toAgent = cmd.toAgent() != null && !cmd.toAgent().isBlank();
                    if (toQueue == toAgent) {
                        fx.error(cmd, ErrorCodes.BAD_REQUEST, "Give exactly one of toQueue and toAgent.");
                        return Uni.createFrom().voidItem();
                    }
                    return toQueue ? transferToQueue(c, fx, cmd, conv) : transferToAgent(c, fx, cmd, conv);
                }));
    }

    private Uni<Void> transferToQueue(SqlConnection c, Effects fx, CommandRecord cmd, Conversation conv) {
        if (!queues.queues().containsKey(cmd.toQueue())) {
            fx.error(cmd, ErrorCodes.BAD_REQUEST, "There is no queue with that id.");
            return Uni.createFrom().voidItem();
        }
        if (conv.state() == ConversationState.QUEUED && conv.queue().equals(cmd.toQueue())) {
            fx.error(cmd, ErrorCodes.BAD_REQUEST, "The conversation waits in that queue already.");
            return Uni.createFrom().voidItem();
        }
        fx.afterPublish(assigner::trigger);
        return conversations.lockLifecycle(c)
                .chain(() -> transitions.enqueue(c, fx, conv, cmd.toQueue(), true, cmd.actor(), "transferred"));
    }

    private Uni<Void> transferToAgent(SqlConnection c, Effects fx, CommandRecord cmd, Conversation conv) {
        if (cmd.toAgent().equals(conv.agentId())) {
            fx.error(cmd, ErrorCodes.BAD_REQUEST, "The conversation is with that agent already.");
            return Uni.createFrom().voidItem();
        }
        return conversations.lockLifecycle(c).chain(() -> agents.find(c, cmd.toAgent())).chain(target -> {
            if (!available(target)) {
                fx.error(cmd, ErrorCodes.BAD_REQUEST, "That agent is not available.");
                return Uni.createFrom().voidItem();
            }
            // An explicit transfer may go beyond the target's capacity: a person chose it.
            return transitions.assign(c, fx, conv, new AgentRef(target.userId(), target.displayName()), cmd.actor(),
                    "transferred");
        });
    }

    private static boolean available(Agent agent) {
        return agent != null && agent.status() != AgentStatus.OFFLINE;
    }

    public Uni<Void> close(CommandRecord cmd) {
        ActorRecord actor = cmd.actor();
        return tx.once(source(cmd), cmd.conversationId(), (c, fx) -> conversations.lock(c, cmd.conversationId())
                .chain(conv -> {
                    Decision decision = ConversationAccess.decide(Action.CLOSE, actor, conv);
                    if (decision != Decision.ALLOW) {
                        deny(fx, cmd, decision);
                        return Uni.createFrom().voidItem();
                    }
                    if (conv.state() == ConversationState.ASSIGNED) {
                        fx.afterPublish(assigner::trigger); // the agent has room again
                    }
                    String reason = "closed_by_" + conv.relationOf(actor.userId()).name().toLowerCase(Locale.ROOT);
                    return conversations.lockLifecycle(c).chain(() -> transitions.close(c, fx, conv, actor, reason));
                }));
    }

    /** {@code typing} and {@code read} go to the other participants; nothing is stored. */
    public Uni<Void> signal(CommandRecord cmd) {
        boolean read = CommandRecord.READ.equals(cmd.type());
        if (read && (cmd.seq() == null || cmd.seq() < 1)) {
            Effects fx = tx.effects().error(cmd, ErrorCodes.BAD_REQUEST, "read needs a seq of 1 or more.");
            return tx.publish(fx);
        }
        return conversations.find(pool, cmd.conversationId()).chain(conv -> {
            Decision decision = ConversationAccess.decide(read ? Action.READ : Action.TYPING, cmd.actor(), conv);
            if (decision != Decision.ALLOW) {
                return tx.publish(denied(cmd, decision));
            }
            Effects fx = tx.effects().toUsers(conv.id(), conv.participantsExcept(cmd.actor().userId()),
                    new Frames.SignalFrame(read ? Frames.READ : Frames.TYPING, conv.id(), cmd.actor().userId(),
                            read ? cmd.seq() : null));
            return tx.publish(fx);
        });
    }

    private Effects denied(CommandRecord cmd, Decision decision) {
        Effects fx = tx.effects();
        deny(fx, cmd, decision);
        return fx;
    }

    /** The error frame to the actor's connection, and an audit record of the refusal. */
    private static void deny(Effects fx, CommandRecord cmd, Decision decision) {
        String code = switch (decision) {
            case NOT_FOUND -> ErrorCodes.NOT_FOUND;
            case CLOSED -> ErrorCodes.CONVERSATION_CLOSED;
            default -> ErrorCodes.FORBIDDEN;
        };
        String message = switch (decision) {
            case NOT_FOUND -> "There is no such conversation.";
            case CLOSED -> "The conversation is closed.";
            default -> "You may not do that in this conversation.";
        };
        fx.error(cmd, code, message);
        if (decision != Decision.CLOSED) {
            String resource = cmd.conversationId() == null ? cmd.actor().userId() : cmd.conversationId().toString();
            fx.audit(AuditEvent.of(cmd.actor(), cmd.frameType(), CONVERSATION, resource, AuditEvent.DENIED,
                    details("code", code)));
        }
    }
}
