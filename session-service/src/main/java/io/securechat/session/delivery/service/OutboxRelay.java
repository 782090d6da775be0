package io.securechat.session.delivery.service;

import io.quarkus.scheduler.Scheduled;
import io.securechat.session.delivery.OutboxConfig;
import io.securechat.session.delivery.model.Output;
import io.securechat.session.delivery.repository.OutboxRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows their writer did not get published (a crash after commit, the broker
 * down): rows older than {@code chat.outbox.relay-after} are locked with SKIP LOCKED, so each is
 * taken by one instance, published, and marked in the same transaction.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    private final Pool pool;
    private final OutboxRepository outbox;
    private final OutputPublisher publisher;
    private final Duration relayAfter;

    public OutboxRelay(Pool pool, OutboxRepository outbox, OutputPublisher publisher, OutboxConfig config) {
        this.pool = pool;
        this.outbox = outbox;
        this.publisher = publisher;
        this.relayAfter = config.relayAfter();
    }

    @Scheduled(every = "${chat.outbox.relay-interval}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        return relayStale().onFailure().invoke(t -> LOG.warnf("outbox relay failed, retried next run: %s", t.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Publishes one batch of stale rows; the number published. */
    public Uni<Integer> relayStale() {
        return pool.withTransaction(c -> outbox.lockStale(c, Instant.now().minus(relayAfter), BATCH).chain(rows -> {
            if (rows.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<Output> all = new ArrayList<>();
            rows.forEach(r -> all.addAll(r.outputs()));
            List<Long> ids = rows.stream().map(OutboxRepository.Pending::id).toList();
            return publisher.publish(all).chain(() -> outbox.markPublished(c, ids)).map(x -> {
                LOG.infof("relayed %d outbox row(s) left unpublished", ids.size());
                return ids.size();
            });
        }));
    }
}
