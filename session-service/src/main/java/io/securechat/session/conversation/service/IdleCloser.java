package io.securechat.session.conversation.service;

import io.quarkus.scheduler.Scheduled;
import io.securechat.session.Instants;
import io.securechat.session.agent.service.Assigner;
import io.securechat.session.conversation.ConversationConfig;
import io.securechat.session.conversation.model.ConversationState;
import io.securechat.session.conversation.repository.ConversationRepository;
import io.securechat.session.delivery.service.TransactionalOutbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Closes conversations without activity for {@code chat.conversations.idle-timeout}. Each batch
 * is locked with {@code FOR UPDATE SKIP LOCKED}, so two instances never close the same one.
 */
@ApplicationScoped
public class IdleCloser {

    private static final Logger LOG = Logger.getLogger(IdleCloser.class);
    private static final int BATCH = 20;

    private final TransactionalOutbox tx;
    private final ConversationRepository conversations;
    private final ConversationTransitions transitions;
    private final ConversationConfig config;
    private final Assigner assigner;

    public IdleCloser(TransactionalOutbox tx, ConversationRepository conversations, ConversationTransitions transitions,
            ConversationConfig config, Assigner assigner) {
        this.tx = tx;
        this.conversations = conversations;
        this.transitions = transitions;
        this.config = config;
        this.assigner = assigner;
    }

    @Scheduled(every = "${chat.conversations.idle-check-interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return closeIdle(config.idleTimeout())
                .onFailure().invoke(t -> LOG.warnf("idle close failed, retried next run: %s", t.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Closes every conversation idle for longer than {@code timeout}; the number closed. */
    public Uni<Integer> closeIdle(Duration timeout) {
        AtomicInteger closed = new AtomicInteger();
        return tx.run((c, fx) -> conversations.lockIdle(c, Instants.now().minus(timeout), BATCH).chain(idle -> {
            closed.set(idle.size());
            if (idle.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            if (idle.size() == 1) {
                fx.concerning(idle.getFirst().id());
            }
            if (idle.stream().anyMatch(conv -> conv.state() == ConversationState.ASSIGNED)) {
                fx.afterPublish(assigner::trigger); // their agents have room again
            }
            return conversations.lockLifecycle(c).chain(() -> transitions.closeAll(c, fx, idle, "idle"));
        })).chain(() -> closed.get() < BATCH
                ? Uni.createFrom().item(closed.get())
                : closeIdle(timeout).map(more -> BATCH + more));
    }
}
