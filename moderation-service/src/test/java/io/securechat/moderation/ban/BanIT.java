package io.securechat.moderation.ban;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.securechat.testsupport.Keycloak;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import io.securechat.platform.schema.SchemaMigrator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Active bans from PostgreSQL (migrated by Flyway), for moderators only. */
@QuarkusTest
class BanIT {

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
    void moderatorsSeeActiveBansButNotLiftedOrExpiredOnes() {
        UUID active = UUID.randomUUID();
        UUID lifted = UUID.randomUUID();
        UUID expired = UUID.randomUUID();
        String insert = "INSERT INTO bans (id, subject_kind, subject, reason, created_by, expires_at, lifted_at) "
                + "VALUES ($1, 'USER', $2, 'test', 'moderator1', $3, $4)";
        var now = java.time.OffsetDateTime.now();
        pool.preparedQuery(insert).execute(Tuple.of(active, "u-" + active, now.plusDays(1), null))
                .chain(() -> pool.preparedQuery(insert).execute(Tuple.of(lifted, "u-" + lifted, null, now)))
                .chain(() -> pool.preparedQuery(insert).execute(Tuple.of(expired, "u-" + expired, now.minusMinutes(1), null)))
                .await().atMost(Duration.ofSeconds(10));
        try {
            given().header("Authorization", "Bearer " + Keycloak.token("moderator1"))
                    .get("/api/v1/moderation/bans").then().statusCode(200)
                    .body("id", hasItem(active.toString()))
                    .body("id", not(hasItem(lifted.toString())))
                    .body("id", not(hasItem(expired.toString())));
        } finally {
            pool.preparedQuery("DELETE FROM bans WHERE id = ANY($1)")
                    .execute(Tuple.of(new UUID[] {active, lifted, expired})).await().atMost(Duration.ofSeconds(10));
        }
    }

    @Test
    void mutesAreNotListedAsBans() {
        String subject = "u-" + UUID.randomUUID();
        try (Restrictions restrictions = new Restrictions(pool)) {
            restrictions.mute("USER", subject);
            given().header("Authorization", "Bearer " + Keycloak.token("moderator1"))
                    .get("/api/v1/moderation/bans").then().statusCode(200)
                    .body("subject", not(hasItem(subject)));
        }
    }

    @Test
    void customersAreForbidden() {
        given().header("Authorization", "Bearer " + Keycloak.token("customer1"))
                .get("/api/v1/moderation/bans").then().statusCode(403);
    }
}
