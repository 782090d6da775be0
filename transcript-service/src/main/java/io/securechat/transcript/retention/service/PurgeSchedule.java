package io.securechat.transcript.retention.service;

import io.quarkus.runtime.StartupEvent;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the purge every {@code chat.transcript.retention.purge-interval} (P1D), the first time
 * {@code purge-delay} (PT5M) after start. Every instance schedules it; the advisory lock lets only
 * one of them purge at a time.
 */
@ApplicationScoped
public class PurgeSchedule {

    private static final Logger LOG = Logger.getLogger(PurgeSchedule.class);

    @ConfigProperty(name = "chat.transcript.retention.purge-interval", defaultValue = "P1D")
    Duration interval;

    @ConfigProperty(name = "chat.transcript.retention.purge-delay", defaultValue = "PT5M")
    Duration delay;

    @ConfigProperty(name = "chat.transcript.retention.enabled", defaultValue = "true")
    boolean enabled;

    void start(@Observes StartupEvent e, Vertx vertx, RetentionPurge purge) {
        if (!enabled) {
            LOG.info("scheduled retention purge disabled (chat.transcript.retention.enabled=false)");
            return;
        }
        vertx.setTimer(delay.toMillis(), t -> {
            run(purge);
            vertx.setPeriodic(interval.toMillis(), p -> run(purge));
        });
    }

    private static void run(RetentionPurge purge) {
        purge.run(AuditEvent.SYSTEM).subscribe().with(r -> {}, t -> LOG.errorf("retention purge failed: %s", t.toString()));
    }
}
