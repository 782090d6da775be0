package io.securechat.session.metrics;

import io.quarkus.scheduler.Scheduled;
import io.securechat.session.conversation.repository.ConversationRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Refreshes the conversations-by-state gauge from PostgreSQL, where the state lives. */
@ApplicationScoped
public class ConversationGauges {

    private final Pool pool;
    private final ConversationRepository conversations;
    private final SessionMetrics metrics;

    public ConversationGauges(Pool pool, ConversationRepository conversations, SessionMetrics metrics) {
        this.pool = pool;
        this.conversations = conversations;
        this.metrics = metrics;
    }

    @Scheduled(every = "${chat.metrics.refresh-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        // A failed refresh keeps the last values; the next run tries again.
        return conversations.countOpen(pool)
                .invoke(counts -> counts.forEach((state, n) -> metrics.conversations(state.name(), n)))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
