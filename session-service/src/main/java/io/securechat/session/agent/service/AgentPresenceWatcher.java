package io.securechat.session.agent.service;

import io.quarkus.scheduler.Scheduled;
import io.securechat.session.Instants;
import io.securechat.session.agent.AgentConfig;
import io.securechat.session.agent.model.Agent;
import io.securechat.session.agent.repository.AgentRepository;
import io.securechat.session.delivery.service.PresenceLookup;
import io.securechat.session.delivery.service.TransactionalOutbox;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Compares the agents who are online or away with the gateways' presence in Redis. An agent
 * without sockets is marked absent (no new conversations); one absent for longer than
 * {@code chat.agents.offline-grace} goes offline and their conversations go back to the queue.
 * This also covers a gateway node that died without sending {@code connection.closed}.
 *
 * <p>When Redis cannot answer nobody is set offline: absence cannot be told from an outage.
 * With several instances the offline transition re-checks the locked agent row, so it happens
 * once.
 */
@ApplicationScoped
public class AgentPresenceWatcher {

    private static final Logger LOG = Logger.getLogger(AgentPresenceWatcher.class);

    private final TransactionalOutbox tx;
    private final Pool pool;
    private final AgentRepository agents;
    private final PresenceLookup presence;
    private final AgentService agentService;
    private final AgentConfig config;

    public AgentPresenceWatcher(TransactionalOutbox tx, Pool pool, AgentRepository agents, PresenceLookup presence,
            AgentService agentService, AgentConfig config) {
        this.tx = tx;
        this.pool = pool;
        this.agents = agents;
        this.presence = presence;
        this.agentService = agentService;
        this.config = config;
    }

    @Scheduled(every = "${chat.agents.presence-check-interval}", delayed = "15s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return check(config.offlineGrace()).onFailure()
                .invoke(t -> LOG.warnf("agent presence check failed, retried next run: %s", t.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass; agents absent for longer than {@code grace} go offline. The number set offline. */
    public Uni<Integer> check(Duration grace) {
        Instant now = Instants.now();
        Instant cutoff = now.minus(grace);
        return agents.notOffline(pool).chain(list -> presence.nodesOf(list.stream().map(Agent::userId).toList())
                .chain(nodes -> nodes.isEmpty()
                        ? Uni.createFrom().item(0)
                        : Multi.createFrom().iterable(list)
                                .onItem().transformToUniAndConcatenate(a -> step(a, nodes.get(), now, cutoff))
                                .collect().asList().map(AgentPresenceWatcher::count)));
    }

    private Uni<Boolean> step(Agent agent, Map<String, Set<String>> nodes, Instant now, Instant cutoff) {
        boolean connected = !nodes.getOrDefault(agent.userId(), Set.of()).isEmpty();
        if (connected) {
            return agent.absentSince() == null ? Uni.createFrom().item(false)
                    : agents.clearAbsent(pool, agent.userId()).replaceWith(false);
        }
        if (agent.absentSince() == null) {
            return agents.markAbsent(pool, agent.userId(), now).replaceWith(false);
        }
        if (!agent.absentSince().isBefore(cutoff)) {
            return Uni.createFrom().item(false);
        }
        AtomicBoolean done = new AtomicBoolean();
        return tx.run((c, fx) -> agentService.goOffline(c, fx, agent.userId(), null,
                        locked -> locked.absentSince() != null && locked.absentSince().isBefore(cutoff),
                        agents.setOffline(c, agent.userId(), now))
                        .invoke(done::set).replaceWithVoid())
                .map(x -> {
                    if (done.get()) {
                        LOG.infof("agent %s set offline: no connection for longer than %s", agent.userId(), grace(cutoff, now));
                    }
                    return done.get();
                });
    }

    private static Duration grace(Instant cutoff, Instant now) {
        return Duration.between(cutoff, now);
    }

    private static int count(List<Boolean> results) {
        return (int) results.stream().filter(Boolean::booleanValue).count();
    }
}
