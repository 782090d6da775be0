package io.securechat.moderation.ban;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.ForgedTokens;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The moderator API for bans and mutes over the real stack: each act is a row, a
 * moderation.actions.v1 record, an audit record and (bans) a key of the Redis mirror.
 */
@QuarkusTest
class BanApiIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String API = "/api/v1/moderation/bans";

    @Inject
    SchemaMigrator migrator;

    @Inject
    RedisDataSource redis;

    @Inject
    BanMirror mirror;

    @Inject
    Pool pool;

    private final String subject = "it-user-" + UUID.randomUUID();

    @BeforeEach
    void migrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    @AfterEach
    void cleanUp() {
        pool.preparedQuery("DELETE FROM bans WHERE subject = $1").execute(Tuple.of(subject)).await().atMost(WAIT);
        redis.key().del(BanMirror.key("USER", subject), StaffDirectory.PREFIX + subject);
    }

    static String token(String user) {
        return Keycloak.token(user);
    }

    static String sub(String user) {
        try {
            return ForgedTokens.claimsOf(Keycloak.token(user)).getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> body(String subjectKind, String subject, String kind) {
        Map<String, Object> b = new HashMap<>();
        b.put("subjectKind", subjectKind);
        b.put("subject", subject);
        b.put("kind", kind);
        b.put("reason", "harassment");
        b.put("duration", "PT1H");
        return b;
    }

    private String value(String key) {
        return redis.value(String.class).get(key);
    }

    @Test
    void aModeratorBansAndLiftsAndEachStepIsAnnouncedAuditedAndMirrored() {
        String moderator = sub("moderator1");
        try (KafkaTap actions = KafkaTap.open("moderation.actions.v1"); KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            Instant before = Instant.now();
            var created = given().header("Authorization", "Bearer " + token("moderator1")).contentType("application/json")
                    .body(body("USER", subject, "BAN")).post(API)
                    .then().statusCode(201)
                    .body("kind", equalTo("BAN")).body("subjectKind", equalTo("USER")).body("subject", equalTo(subject))
                    .body("reason", equalTo("harassment")).body("createdBy", equalTo(moderator))
                    .body("liftedAt", nullValue()).body("reportId", nullValue())
                    .extract();
            String id = created.path("id");
            assertTrue(created.header("Location").endsWith(API + "/" + id), created.header("Location"));
            Instant expiresAt = Instant.parse(created.path("expiresAt"));
            assertFalse(expiresAt.isBefore(before.plusSeconds(3599)), "duration PT1H from now");

            var action = actions.await(r -> subject.equals(r.key()) && "ban".equals(r.value().path("action").asText()), WAIT);
            assertEquals(1, action.value().path("v").asInt());
            assertEquals(id, action.value().path("banId").asText());
            assertEquals("USER", action.value().path("subjectKind").asText());
            assertEquals(subject, action.value().path("subject").asText());
            assertEquals("harassment", action.value().path("reason").asText());
            assertEquals(expiresAt, Instant.parse(action.value().path("expiresAt").asText()));
            assertEquals(moderator, action.value().path("actor").path("userId").asText());
            UUID.fromString(action.value().path("actionId").asText());

            var banned = audit.await(r -> "moderation.ban".equals(r.value().path("action").asText())
                    && id.equals(r.value().path("resource").path("id").asText()), WAIT);
            assertEquals("ban:" + id, banned.key());
            assertEquals("SUCCESS", banned.value().path("outcome").asText());
            assertEquals(moderator, banned.value().path("actor").path("userId").asText());
            assertEquals(subject, banned.value().path("details").path("subject").asText());
            assertEquals("moderation-service", banned.value().path("service").asText());

            String key = BanMirror.key("USER", subject);
            assertEquals(id, value(key), "mirrored for the gateway");
            long ttl = redis.key().pttl(key);
            assertTrue(ttl > 3_500_000 && ttl <= 3_600_000, "expires with the ban, was " + ttl);

            given().header("Authorization", "Bearer " + token("moderator1")).get(API)
                    .then().statusCode(200).body("id", hasItem(id));

            given().header("Authorization", "Bearer " + token("moderator1")).delete(API + "/" + id + "?reason=appeal_granted")
                    .then().statusCode(204);
            var lifted = actions.await(r -> subject.equals(r.key()) && "unban".equals(r.value().path("action").asText()), WAIT);
            assertEquals(id, lifted.value().path("banId").asText());
            assertEquals("appeal_granted", lifted.value().path("reason").asText());
            var unbanned = audit.await(r -> "moderation.unban".equals(r.value().path("action").asText())
                    && id.equals(r.value().path("resource").path("id").asText()), WAIT);
            assertEquals("appeal_granted", unbanned.value().path("details").path("reason").asText());
            assertNull(value(key), "the mirror forgets a lifted ban");
            given().header("Authorization", "Bearer " + token("moderator1")).get(API)
                    .then().statusCode(200).body("id", not(hasItem(id)));

            given().header("Authorization", "Bearer " + token("moderator1")).delete(API + "/" + id)
                    .then().statusCode(409).body("code", equalTo("conflict"));
            given().header("Authorization", "Bearer " + token("moderator1")).delete(API + "/" + UUID.randomUUID())
                    .then().statusCode(404).body("code", equalTo("not_found"));
        }
    }

    @Test
    void aMuteIsListedAsAMuteAndNotMirroredSinceAMutedUserMayStillConnect() {
        try (KafkaTap actions = KafkaTap.open("moderation.actions.v1")) {
            String id = given().header("Authorization", "Bearer " + token("moderator1")).contentType("application/json")
                    .body(body("USER", subject, "MUTE")).post(API).then().statusCode(201)
                    .body("kind", equalTo("MUTE")).extract().path("id");
            actions.await(r -> subject.equals(r.key()) && "mute".equals(r.value().path("action").asText()), WAIT);
            given().header("Authorization", "Bearer " + token("moderator1")).get(API)
                    .then().statusCode(200).body("id", not(hasItem(id)));
            given().header("Authorization", "Bearer " + token("moderator1")).get(API + "?kind=MUTE")
                    .then().statusCode(200).body("id", hasItem(id));
            given().header("Authorization", "Bearer " + token("moderator1"))
                    .get(API + "?kind=ALL&subjectKind=USER&subject=" + subject)
                    .then().statusCode(200).body("id", equalTo(java.util.List.of(id)));
            assertNull(value(BanMirror.key("USER", subject)));
            given().header("Authorization", "Bearer " + token("moderator1")).delete(API + "/" + id)
                    .then().statusCode(204);
            actions.await(r -> subject.equals(r.key()) && "unmute".equals(r.value().path("action").asText()), WAIT);
        }
    }

    @Test
    void staffCanBeBannedByAnAdminOnlyAndNobodyBansThemselves() {
        // moderation-service learns staff ids from the roles on inbound messages.
        redis.value(String.class).set(StaffDirectory.PREFIX + subject, "agent");
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            given().header("Authorization", "Bearer " + token("moderator1")).contentType("application/json")
                    .body(body("USER", subject, "BAN")).post(API).then().statusCode(409).body("code", equalTo("conflict"));
            var denied = audit.await(r -> "moderation.ban".equals(r.value().path("action").asText())
                    && "DENIED".equals(r.value().path("outcome").asText())
                    && subject.equals(r.value().path("details").path("subject").asText()), WAIT);
            assertEquals("staff", denied.value().path("details").path("refused").asText());
        }
        given().header("Authorization", "Bearer " + token("admin1")).contentType("application/json")
                .body(body("USER", subject, "BAN")).post(API).then().statusCode(201);
        given().header("Authorization", "Bearer " + token("moderator1")).contentType("application/json")
                .body(body("USER", sub("moderator1"), "MUTE")).post(API).then().statusCode(409);
    }

    @Test
    void badInputIsA400ThatNamesTheField() {
        Map<String, Object> b = body("USER", subject, "BAN");
        b.put("expiresAt", "2030-01-01T00:00:00Z");
        given().header("Authorization", "Bearer " + token("moderator1")).contentType("application/json").body(b).post(API)
                .then().statusCode(400).body("code", equalTo("bad_request"));
        given().header("Authorization", "Bearer " + token("moderator1")).contentType("application/json")
                .body(body("IP_HASH", "10.0.0.1", "BAN")).post(API)
                .then().statusCode(400).body("code", equalTo("bad_request"));
        Map<String, Object> unknownReport = body("USER", subject, "BAN");
        unknownReport.put("reportId", UUID.randomUUID().toString());
        given().header("Authorization", "Bearer " + token("moderator1")).contentType("application/json")
                .body(unknownReport).post(API)
                .then().statusCode(400).body("code", equalTo("bad_request"));
        given().header("Authorization", "Bearer " + token("moderator1")).get(API + "?kind=KICK")
                .then().statusCode(400).body("code", equalTo("bad_request"));
        given().header("Authorization", "Bearer " + token("moderator1")).get(API + "?limit=0")
                .then().statusCode(400).body("code", equalTo("bad_request"));
        given().header("Authorization", "Bearer " + token("moderator1")).get(API + "?before=" + UUID.randomUUID())
                .then().statusCode(400).body("code", equalTo("bad_request"));
        // Nothing was stored by any of them.
        given().header("Authorization", "Bearer " + token("moderator1"))
                .get(API + "?kind=ALL&subjectKind=USER&subject=" + subject).then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void customersGet403() {
        given().header("Authorization", "Bearer " + token("customer1")).contentType("application/json")
                .body(body("USER", subject, "BAN")).post(API).then().statusCode(403);
        given().header("Authorization", "Bearer " + token("customer1")).delete(API + "/" + UUID.randomUUID())
                .then().statusCode(403);
        given().post(API).then().statusCode(401);
    }

    @Test
    void theMirrorRebuildHealsALostKeyAndDropsALiftedOne() {
        try (Restrictions restrictions = new Restrictions(pool)) {
            restrictions.ban("USER", subject); // written straight to PostgreSQL: no mirror write
            String key = BanMirror.key("USER", subject);
            assertNull(value(key));
            // A rebuild already running (the periodic one) answers -1: ask again until one ran.
            await().atMost(WAIT).until(() -> mirror.rebuild().await().atMost(WAIT) >= 1 && value(key) != null);
            String banId = value(key);
            assertTrue(banId != null && !banId.isBlank(), "rebuilt from PostgreSQL");
            pool.preparedQuery("UPDATE bans SET lifted_at = now() WHERE subject = $1").execute(Tuple.of(subject))
                    .await().atMost(WAIT);
            await().atMost(WAIT).until(() -> mirror.rebuild().await().atMost(WAIT) >= 0);
            assertNull(value(key), "a stray key of a lifted ban is deleted");
        }
    }
}
