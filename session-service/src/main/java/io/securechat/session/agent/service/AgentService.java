package io.securechat.session.agent.service;

import io.securechat.session.Instants;
import io.securechat.session.agent.AgentConfig;
import io.securechat.session.agent.model.Agent;
import io.securechat.session.agent.model.AgentStatus;
import io.securechat.session.agent.repository.AgentRepository;
import io.securechat.session.conversation.model.Conversation;
import io.securechat.session.conversation.repository.ConversationRepository;
import io.securechat.session.conversation.service.ConversationTransitions;
import io.securechat.session.delivery.model.ErrorCodes;
import io.securechat.session.delivery.service.Effects;
import io.securechat.session.delivery.service.PresenceLookup;
import io.securechat.session.delivery.service.TransactionalOutbox;
import io.securechat.session.messaging.event.ActorRecord;
import io.securechat.session.messaging.event.CommandRecord;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Agent availability: {@code agent.status} and {@code connection.closed}. An agent going offline
 * (by command, or after the grace period without sockets) gives their open conversations back
 * to their queues, at the place they had there.
 */
@ApplicationScoped
public class AgentService {

    private final TransactionalOutbox tx;
    private final Pool pool;
    private final AgentRepository agents;
    private final ConversationRepository conversations;
    private final ConversationTransitions transitions;
    private final PresenceLookup presence;
    private final AgentConfig config;
    private final Assigner assigner;

    public AgentService(TransactionalOutbox tx, Pool pool, AgentRepository agents, ConversationRepository conversations,
            ConversationTransitions transitions, PresenceLookup presence, AgentConfig config, Assigner assigner) {
        this.tx = tx;
        this.pool = pool;
        this.agents = agents;
        this.conversations = conversations;
        this.transitions = transitions;
        this.presence = presence;
        this.config = config;
        this.assigner = assigner;
    }

    public Uni<Void> status(CommandRecord cmd) {
        ActorRecord actor = cmd.actor();
        AgentStatus status = AgentStatus.parse(cmd.status());
        String problem = !actor.isAgent() ? ErrorCodes.FORBIDDEN
                : status == null || (cmd.capacity() != null
                        && (cmd.capacity() < 1 || cmd.capacity() > config.maxCapacity())) ? ErrorCodes.BAD_REQUEST
                : null;
        if (problem != null) {
            String message = problem.equals(ErrorCodes.FORBIDDEN) ? "Only agents have an availability status."
                    : "status must be online, away or offline; capacity 1 to " + config.maxCapacity() + ".";
            return tx.publish(tx.effects().error(cmd, problem, message));
        }
        return tx.once("command:" + cmd.commandId(), null, (c, fx) -> {
            Instant now = Instants.now();
            Uni<Void> upsert = agents.upsertStatus(c, actor.userId(), actor.displayName(), status, cmd.capacity(),
                    config.defaultCapacity(), now);
            if (status == AgentStatus.OFFLINE) {
                return goOffline(c, fx, actor.userId(), actor, agent -> true, upsert).replaceWithVoid();
            }
            if (status == AgentStatus.ONLINE) {
                fx.afterPublish(assigner::trigger);
            }
            return upsert;
        });
    }

    /**
     * A socket closed. The agent may be reloading a page or switching networks, so nothing
     * changes now: if no node reports a socket of theirs, their grace period starts
     * ({@link AgentPresenceWatcher} sets them offline when it ends without a reconnect).
     */
    public Uni<Void> connectionClosed(CommandRecord cmd) {
        if (!cmd.actor().isAgent()) {
            return Uni.createFrom().voidItem();
        }
        String userId = cmd.actor().userId();
        // Without Redis we cannot tell; the watcher re-checks presence before anything happens.
        return presence.isConnected(userId).chain(connected -> connected.orElse(false)
                ? Uni.createFrom().voidItem()
                : agents.markAbsent(pool, userId, Instants.now()));
    }

    /**
     * Sets the agent offline if {@code stillApplies} holds for their locked row, and gives
     * their conversations back; whether it did. Lock order: their conversations, the lifecycle
     * lock, their row.
     */
    Uni<Boolean> goOffline(SqlConnection c, Effects fx, String userId, ActorRecord actor, Predicate<Agent> stillApplies,
            Uni<Void> setStatus) {
        return conversations.lockAssignedTo(c, userId)
                .call(() -> conversations.lockLifecycle(c))
                .chain(open -> agents.lock(c, userId).chain(agent -> {
                    if (agent != null && !stillApplies.test(agent)) {
                        return Uni.createFrom().item(false);
                    }
                    return setStatus.chain(() -> requeue(c, fx, open, actor)).replaceWith(true);
                }));
    }

    private Uni<Void> requeue(SqlConnection c, Effects fx, List<Conversation> open, ActorRecord actor) {
        if (!open.isEmpty()) {
            fx.afterPublish(assigner::trigger);
        }
        return Multi.createFrom().iterable(open)
                .onItem().transformToUniAndConcatenate(conv ->
                        transitions.enqueue(c, fx, conv, conv.queue(), false, actor, "agent_offline"))
                .collect().last().replaceWithVoid();
    }
}
