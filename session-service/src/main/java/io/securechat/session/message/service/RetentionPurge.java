package io.securechat.session.message.service;

import io.quarkus.scheduler.Scheduled;
import io.securechat.session.delivery.repository.OutboxRepository;
import io.securechat.session.message.RetentionConfig;
import io.securechat.session.message.repository.MessageRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Deletes the temporary message copies and the remembered ids once past their retention
 * ({@link RetentionConfig}), in batches. Both instances may run it: deleting is idempotent.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
    private static final int BATCH = 5_000;

    private final MessageRepository messages;
    private final OutboxRepository outbox;
    private final RetentionConfig config;

    public RetentionPurge(MessageRepository messages, OutboxRepository outbox, RetentionConfig config) {
        this.messages = messages;
        this.outbox = outbox;
        this.config = config;
    }

    @Scheduled(every = "${chat.retention.purge-interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return purgeExpired()
                .onFailure().invoke(t -> LOG.warnf("retention purge failed, retried next run: %s", t.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes everything past its retention; the number of rows deleted. */
    public Uni<Integer> purgeExpired() {
        Instant now = Instant.now();
        return drain(() -> messages.purge(now.minus(config.messages()), BATCH))
                .chain(m -> drain(() -> outbox.purgePublished(now.minus(config.processedIds()), BATCH)).map(o -> {
                    if (m + o > 0) {
                        LOG.infof("retention purge: %d message(s), %d processed id(s) deleted", m, o);
                    }
                    return m + o;
                }));
    }

    private static Uni<Integer> drain(Supplier<Uni<Integer>> batch) {
        return batch.get().chain(n -> n < BATCH ? Uni.createFrom().item(n) : drain(batch).map(more -> n + more));
    }
}
