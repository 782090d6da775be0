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
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Drops the keys of erased or purged conversations from this instance's caches, whichever
 * instance erased them: every {@code chat.transcript.privacy.erasure-check} (5 s) it reads the
 * tombstones written since the last look (with a margin for clock skew and late commits) and
 * evicts them. The instance that erases evicts at once; the others within that interval.
 */
@ApplicationScoped
public class ErasureWatch {

    private static final Logger LOG = Logger.getLogger(ErasureWatch.class);

    private final Pool pool;
    private final DataKeys dataKeys;
    private final StreamKeys streamKeys;
    private final Duration every;
    private OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);

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
        OffsetDateTime from = since.minusSeconds(30);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        pool.preparedQuery("SELECT conversation_id FROM conversation_tombstones WHERE at >= $1").execute(Tuple.of(from))
                .subscribe().with(rows -> {
                    for (Row r : rows) {
                        dataKeys.evict(r.getUUID(0));
                        streamKeys.evict(r.getUUID(0));
                    }
                    since = now;
                }, t -> LOG.debugf("erasure check failed (retried): %s", t.getClass().getSimpleName()));
    }
}
