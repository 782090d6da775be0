package io.securechat.platform.schema;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Applies the versioned migrations in {@code db/migration} with Flyway, retrying until the
 * database answers.
 *
 * <p>Flyway's own migrate-at-start would stop the service when PostgreSQL is down at boot. The
 * contract wants the opposite: the process stays alive (liveness up), reports not-ready, and
 * becomes ready by itself once the database is back. So migration runs off the start-up thread,
 * and {@link SchemaReadinessCheck} reports its state.
 */
@ApplicationScoped
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class);

    public enum State { PENDING, MIGRATED }

    @Inject
    Flyway flyway;

    @ConfigProperty(name = "chat.schema.retry-interval", defaultValue = "PT2S")
    Duration retryInterval;

    private final AtomicReference<State> state = new AtomicReference<>(State.PENDING);
    private final AtomicReference<String> lastError = new AtomicReference<>("not attempted yet");
    private final AtomicInteger attempts = new AtomicInteger();
    private final CompletableFuture<Void> migrated = new CompletableFuture<>();
    private ScheduledExecutorService executor;

    void onStart(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "schema-migrator");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::attempt);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void attempt() {
        int n = attempts.incrementAndGet();
        try {
            var result = flyway.migrate();
            state.set(State.MIGRATED);
            lastError.set(null);
            migrated.complete(null);
            LOG.infof("database schema at version %s (%d migration(s) applied now)",
                    result.targetSchemaVersion != null ? result.targetSchemaVersion
                            : flyway.info().current() != null ? flyway.info().current().getVersion() : "none",
                    result.migrationsExecuted);
            executor.shutdown();
        } catch (RuntimeException e) {
            lastError.set(rootMessage(e));
            // One line per failure at most every 10 attempts: a database down for an hour must not flood the log.
            if (n == 1 || n % 10 == 0) {
                LOG.warnf("database schema not migrated yet (attempt %d, retrying every %s): %s",
                        n, retryInterval, lastError.get());
            }
            executor.schedule(this::attempt, retryInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Blocks until the schema is migrated (for tests and start-up tasks off the event loop). */
    public void awaitMigrated(Duration timeout) throws TimeoutException {
        try {
            migrated.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public State state() {
        return state.get();
    }

    public String lastError() {
        return lastError.get();
    }

    public int attempts() {
        return attempts.get();
    }
}
