package io.securechat.audit.event;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.securechat.testsupport.Keycloak;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import io.securechat.platform.schema.SchemaMigrator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paging through the audit log, for compliance officers only. */
@QuarkusTest
class AuditEventIT {

    @Inject
    SchemaMigrator migrator;

    @BeforeEach
    void schemaMigrated() throws Exception {
        // On a fresh database the migration runs in the background at start-up.
        migrator.awaitMigrated(java.time.Duration.ofSeconds(60));
    }

    @Inject
    Pool pool;

    @Test
    void pagesNewestFirst() {
        String marker = "it-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            UUID id = UUID.randomUUID();
            pool.preparedQuery("""
                    INSERT INTO audit_events (event_id, occurred_at, actor_id, action, resource_type, resource_id, outcome, record)
                    VALUES ($1, $2, 'tester', 'test.event', 'test', $3, 'SUCCESS', $4)""")
                    .execute(Tuple.of(id, OffsetDateTime.now(), marker,
                            new JsonObject().put("eventId", id.toString()).put("n", i).put("marker", marker)))
                    .await().atMost(Duration.ofSeconds(10));
        }
        var token = Keycloak.token("compliance1");
        var first = given().header("Authorization", "Bearer " + token).queryParam("limit", 2)
                .get("/api/v1/audit/events").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].n", equalTo(2))
                .body("nextBefore", notNullValue())
                .extract().jsonPath();
        given().header("Authorization", "Bearer " + token).queryParam("limit", 1)
                .queryParam("before", first.getLong("nextBefore"))
                .get("/api/v1/audit/events").then().statusCode(200)
                .body("items[0].n", equalTo(0));
        given().header("Authorization", "Bearer " + token).queryParam("limit", 100000)
                .get("/api/v1/audit/events").then().statusCode(200)
                .body("items.size()", lessThanOrEqualTo(500));
    }

    @Test
    void customersAreForbidden() {
        given().header("Authorization", "Bearer " + Keycloak.token("customer1"))
                .get("/api/v1/audit/events").then().statusCode(403);
    }
}
