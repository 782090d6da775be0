package io.securechat.transcript.retention;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.securechat.testsupport.Keycloak;
import io.securechat.platform.schema.SchemaMigrator;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention policies seeded by the versioned migration, for compliance and admins. */
@QuarkusTest
class RetentionPolicyIT {

    @Inject
    SchemaMigrator migrator;

    @BeforeEach
    void schemaMigrated() throws Exception {
        // On a fresh database the migration runs in the background at start-up.
        migrator.awaitMigrated(java.time.Duration.ofSeconds(60));
    }

    @Test
    void complianceSeesThePolicyOfEachQueue() {
        given().header("Authorization", "Bearer " + Keycloak.token("compliance1"))
                .get("/api/v1/retention/policies").then().statusCode(200)
                .body("queue", hasItems("billing", "support"))
                .body("find { it.queue == 'support' }.policy", org.hamcrest.Matchers.equalTo("P365D"))
                .body("find { it.queue == 'billing' }.policy", org.hamcrest.Matchers.equalTo("P180D"));
    }

    @Test
    void agentsAreForbidden() {
        given().header("Authorization", "Bearer " + Keycloak.token("agent2"))
                .get("/api/v1/retention/policies").then().statusCode(403);
    }
}
