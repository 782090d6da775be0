package io.securechat.audit.trail;

import io.securechat.audit.proof.Checkpoints;
import io.securechat.audit.proof.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the log was read and checked against its signed heads, still matches, and the signing key loads. */
@Readiness
@ApplicationScoped
public class TrailReadinessCheck implements HealthCheck {

    private final Trail trail;
    private final Checkpoints checkpoints;
    private final SigningKeys keys;

    public TrailReadinessCheck(Trail trail, Checkpoints checkpoints, SigningKeys keys) {
        this.trail = trail;
        this.checkpoints = checkpoints;
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("Audit trail").withData("records", trail.size());
        String keyProblem = keys.problem();
        if (keyProblem != null) {
            return b.down().withData("reason", keyProblem).build();
        }
        if (!checkpoints.started()) {
            return b.down().withData("reason", "reading the log at start-up").build();
        }
        String tampered = trail.tampered();
        if (tampered != null) {
            return b.down().withData("reason", tampered).build();
        }
        return b.up().build();
    }
}
