package io.securechat.e2e;

import io.restassured.RestAssured;
import io.restassured.config.SSLConfig;
import io.restassured.specification.RequestSpecification;
import io.securechat.testsupport.LocalStack;
import java.util.List;

/** The five running services (started by ./chat test) and how to reach each. */
final class Platform {

    /**
     * A service, one of its protected endpoints, a demo user allowed to call it, and the
     * readiness checks that prove it talks to its real dependencies.
     */
    record Service(String name, String baseUrl, String method, String protectedPath, String allowedUser,
            String forbiddenUser, List<String> readinessChecks) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String KAFKA = "Kafka connection health check";
    static final String POSTGRES = "Reactive PostgreSQL connections health check";
    static final String SCHEMA = "Database schema";
    static final String REDIS = "Redis connection health check";
    static final String OIDC = "OIDC Provider Health Check";

    static final List<Service> SERVICES = List.of(
            new Service("gateway", "https://127.0.0.1:8443", "POST", "/api/v1/tickets", "customer1", null,
                    List.of(KAFKA, REDIS, OIDC)),
            new Service("session", "http://127.0.0.1:8081", "GET", "/api/v1/queues", "customer1", null,
                    List.of(KAFKA, POSTGRES, SCHEMA, REDIS, OIDC)),
            new Service("moderation", "http://127.0.0.1:8082", "GET", "/api/v1/moderation/bans", "moderator1", "customer1",
                    List.of(KAFKA, POSTGRES, SCHEMA, REDIS, OIDC)),
            new Service("transcript", "http://127.0.0.1:8083", "GET", "/api/v1/retention/policies", "compliance1", "agent1",
                    List.of(KAFKA, POSTGRES, SCHEMA, OIDC)),
            new Service("audit", "http://127.0.0.1:8084", "GET", "/api/v1/audit/events", "compliance1", "customer2",
                    List.of(KAFKA, POSTGRES, SCHEMA, OIDC)));

    private Platform() {}

    /** A request that trusts the local CA (hostname verification stays on). */
    static RequestSpecification given() {
        return RestAssured.given().config(RestAssured.config().sslConfig(SSL)).redirects().follow(false);
    }

    private static final SSLConfig SSL = SSLConfig.sslConfig().trustStore(LocalStack.trustStore());
}
