package io.securechat.transcript.privacy.service;

import io.quarkus.runtime.StartupEvent;
import io.securechat.transcript.attachment.service.StreamKeys;
import io.securechat.transcript.message.service.DataKeys;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Drops the keys of erased or purged conversations from this instance's caches, whichever
 * instance erased them: every {@code chat.transcript.privacy.erasure-check} (5 s) it reads the
 * tombstones written since the last look and evicts them. Times are the database's only: a
 * tombstone's {@code at} is {@code clock_timestamp()} when it is inserted (not the start of its
 * transaction: erasure and purge transactions wait for locks first), and each look remembers the
 * database's clock at that look and starts the next one 30 s before it (for transactions that
 * commit after their tombstone's {@code at}). The instance that erases evicts at once; the others
 * within that interval.
 */
@ApplicationScoped
public class ErasureWatch {

    private static final Logger LOG = Logger.getLogger(ErasureWatch.class);

    private final Pool pool;
    private final DataKeys dataKeys;
    private final StreamKeys streamKeys;
    private final Duration every;
    /** The database's clock at the last look; null before the first. */
    private volatile OffsetDateTime since;

    public ErasureWatch(Pool pool, DataKeys dataKeys, StreamKeys streamKeys,
            @ConfigProperty(name = "chat.transcript.privacy.erasure-check", defaultValue = "PT5S") Duration every) {
        this.pool = pool;
        this.dataKeys = dataKeys;
        this.streamKeys = streamKeys;
        this.every = every;
    }

    void start(@Observes StartupEvent e, Vertx vertx) {
        vertx.setPeriodic(every.toMillis(), id -> check());
    }

    private void check() {
        pool.preparedQuery("""
                        SELECT clock_timestamp() AS now,
                               ARRAY(SELECT conversation_id FROM conversation_tombstones
                                      WHERE at >= COALESCE($1, clock_timestamp() - interval '1 minute') - interval '30 seconds')
                               AS ids""")
                .execute(Tuple.tuple().addOffsetDateTime(since))
                .subscribe().with(rows -> {
                    Row r = rows.iterator().next();
                    for (UUID id : r.getArrayOfUUIDs("ids")) {
                        dataKeys.evict(id);
                        streamKeys.evict(id);
                    }
                    since = r.getOffsetDateTime("now");
                }, t -> LOG.debugf("erasure check failed (retried): %s", t.getClass().getSimpleName()));
    }
}
