package io.securechat.session.delivery.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.session.delivery.model.Output;
import io.securechat.session.delivery.repository.OutboxRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs a unit of work in one PostgreSQL transaction that also stores what it produces, then
 * publishes that and waits for the broker's acks. A crash between commit and publish loses
 * nothing: the redelivered input record (or {@link OutboxRelay}) publishes the stored outputs.
 */
@ApplicationScoped
public class TransactionalOutbox {

    private static final Logger LOG = Logger.getLogger(TransactionalOutbox.class);

    /** The work: reads and writes through the connection, adds its outputs to the effects. */
    @FunctionalInterface
    public interface Work {
        Uni<Void> apply(SqlConnection connection, Effects effects);
    }

    private record Batch(long outboxId, List<Output> outputs, List<Runnable> afterPublish) {}

    private final Pool pool;
    private final OutboxRepository outbox;
    private final OutputPublisher publisher;
    private final ObjectMapper json;

    public TransactionalOutbox(Pool pool, OutboxRepository outbox, OutputPublisher publisher, ObjectMapper json) {
        this.pool = pool;
        this.outbox = outbox;
        this.publisher = publisher;
        this.json = json;
    }

    public Effects effects() {
        return new Effects(json);
    }

    /**
     * For a consumed record: the work runs at most once per {@code source}; a redelivery only
     * publishes what the first run stored and did not get published.
     */
    public Uni<Void> once(String source, UUID conversationId, Work work) {
        return pool.withTransaction(c -> outbox.claim(c, source, conversationId).chain(id -> {
            if (id == null) {
                return outbox.unpublished(c, source).map(p -> new Batch(p.id(), p.outputs(), List.of()));
            }
            Effects effects = effects();
            return work.apply(c, effects)
                    .chain(() -> outbox.store(c, id, effects.outputs()))
                    .map(x -> new Batch(id, effects.outputs(), effects.afterPublishActions()));
        })).chain(this::publish);
    }

    /** For a job: writes an outbox row only when the work produced something. */
    public Uni<Void> run(Work work) {
        return pool.withTransaction(c -> {
            Effects effects = effects();
            return work.apply(c, effects).chain(() -> effects.outputs().isEmpty()
                    ? Uni.createFrom().item(0L)
                    : outbox.insert(c, "job:" + UUID.randomUUID(), effects.conversationId(), effects.outputs()))
                    .map(id -> new Batch(id, effects.outputs(), effects.afterPublishActions()));
        }).chain(this::publish);
    }

    /**
     * For a request that must leave a record before it is answered (an audited read through the
     * REST API): the outputs are stored in the outbox (a failure here fails the request), then
     * published. A failed publish does not fail the request: the row stays unpublished and
     * {@link OutboxRelay} publishes it later.
     */
    public Uni<Void> record(Effects effects) {
        if (effects.outputs().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(c -> outbox.insert(c, "api:" + UUID.randomUUID(), effects.conversationId(),
                        effects.outputs()))
                .chain(id -> publish(new Batch(id, effects.outputs(), effects.afterPublishActions()))
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("publishing a recorded output failed (%s); the outbox relay retries it",
                                    e.getClass().getSimpleName());
                            return null;
                        }));
    }

    /** Without a transaction, for what is not stored (typing, read, replays): a redelivery simply repeats it. */
    public Uni<Void> publish(Effects effects) {
        return publish(new Batch(0, effects.outputs(), effects.afterPublishActions()));
    }

    private Uni<Void> publish(Batch batch) {
        if (batch.outputs().isEmpty()) {
            batch.afterPublish().forEach(Runnable::run);
            return Uni.createFrom().voidItem();
        }
        return publisher.publish(batch.outputs())
                .chain(() -> batch.outboxId() > 0 ? outbox.markPublished(batch.outboxId()) : Uni.createFrom().voidItem())
                .invoke(() -> batch.afterPublish().forEach(Runnable::run));
    }
}
