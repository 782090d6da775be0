package io.securechat.session.agent.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.securechat.session.agent.model.AgentLoad;
import io.securechat.session.agent.model.AssignmentPolicy;
import io.securechat.session.agent.repository.AgentRepository;
import io.securechat.session.conversation.repository.ConversationRepository;
import io.securechat.session.conversation.service.ConversationTransitions;
import io.securechat.session.delivery.model.Frames.AgentRef;
import io.securechat.session.delivery.service.TransactionalOutbox;
import io.securechat.session.queue.QueueConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Gives waiting conversations to online agents with free capacity ({@link AssignmentPolicy}),
 * oldest conversation first, one transaction per assignment.
 *
 * <p>Safe with several instances: each picks its conversation with {@code FOR UPDATE SKIP
 * LOCKED} and then takes the lifecycle lock, under which agent loads are exact; the chosen
 * agent's row is locked and re-checked before the assignment. Runs every
 * {@code chat.agents.assignment-interval} and right after anything that may allow an assignment
 * (a start, an agent coming online, a close, a transfer to a queue).
 */
@ApplicationScoped
public class Assigner {

    private static final Logger LOG = Logger.getLogger(Assigner.class);
    /** Assignments per run at most; the next run continues. */
    private static final int MAX_PER_RUN = 50;

    private final TransactionalOutbox tx;
    private final ConversationRepository conversations;
    private final ConversationTransitions transitions;
    private final AgentRepository agents;
    private final List<String> queues;
    private static final java.time.Duration RUN_TIMEOUT = java.time.Duration.ofSeconds(30);
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopping;

    public Assigner(TransactionalOutbox tx, ConversationRepository conversations, ConversationTransitions transitions,
            AgentRepository agents, QueueConfig queueConfig) {
        this.tx = tx;
        this.conversations = conversations;
        this.transitions = transitions;
        this.agents = agents;
        this.queues = queueConfig.queues().entrySet().stream().filter(e -> e.getValue().autoAssign())
                .map(java.util.Map.Entry::getKey).sorted().toList();
    }

    @Scheduled(every = "${chat.agents.assignment-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        trigger();
        return Uni.createFrom().voidItem();
    }

    /** No new runs once the service stops: the database pool is going away. */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Starts a run now, or right after the one in progress. */
    public void trigger() {
        if (stopping) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        // Bounded: a run stuck on the broker (e.g. while Kafka restarts) must not stop every later run.
        assignWaiting(MAX_PER_RUN).ifNoItem().after(RUN_TIMEOUT).fail().subscribe().with(n -> finished(), t -> {
            LOG.warnf("assignment run failed, retried next run: %s", t.toString());
            finished();
        });
    }

    private void finished() {
        running.set(false);
        if (again.get()) {
            trigger();
        }
    }

    /** Assigns waiting conversations until none can be, or {@code max} were; the number assigned. */
    public Uni<Integer> assignWaiting(int max) {
        if (queues.isEmpty() || max <= 0) {
            return Uni.createFrom().item(0);
        }
        return assignOne().chain(assigned -> assigned
                ? assignWaiting(max - 1).map(n -> n + 1)
                : Uni.createFrom().item(0));
    }

    private Uni<Boolean> assignOne() {
        AtomicBoolean assigned = new AtomicBoolean();
        return tx.run((c, fx) -> conversations.lockOldestWaiting(c, queues).chain(conv -> {
            if (conv == null) {
                return Uni.createFrom().voidItem();
            }
            fx.concerning(conv.id());
            return conversations.lockLifecycle(c)
                    .chain(() -> agents.onlineLoads(c))
                    .chain(loads -> {
                        Optional<AgentLoad> chosen = AssignmentPolicy.choose(loads);
                        if (chosen.isEmpty()) {
                            return Uni.createFrom().voidItem();
                        }
                        AgentLoad agent = chosen.get();
                        return agents.lockAvailable(c, agent.userId()).chain(available -> {
                            if (!available) {
                                return Uni.createFrom().voidItem();
                            }
                            assigned.set(true);
                            return transitions.assign(c, fx, conv, new AgentRef(agent.userId(), agent.displayName()),
                                    null, "auto");
                        });
                    });
        })).map(x -> assigned.get());
    }
}
