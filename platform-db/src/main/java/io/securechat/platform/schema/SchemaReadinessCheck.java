package io.securechat.platform.schema;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the service's schema migrations have been applied. */
@Readiness
@ApplicationScoped
public class SchemaReadinessCheck implements HealthCheck {

    @Inject
    SchemaMigrator migrator;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("Database schema")
                .withData("state", migrator.state().name())
                .withData("attempts", migrator.attempts());
        if (migrator.state() == SchemaMigrator.State.MIGRATED) {
            return builder.up().build();
        }
        return builder.withData("lastError", String.valueOf(migrator.lastError())).down().build();
    }
}
