package io.securechat.session.queue;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;

import io.quarkus.test.junit.QuarkusTest;
import io.securechat.testsupport.Keycloak;
import org.junit.jupiter.api.Test;

/** The queue list, behind a real Keycloak token. */
@QuarkusTest
class QueueIT {

    @Test
    void customersSeeTheConfiguredQueues() {
        given().header("Authorization", "Bearer " + Keycloak.token("customer2"))
                .get("/api/v1/queues").then().statusCode(200)
                .body("id", contains("billing", "support"))
                .body("displayName", contains("Billing", "Customer support"));
    }

    @Test
    void anonymousCallersGet401() {
        given().get("/api/v1/queues").then().statusCode(401);
    }
}
