package io.securechat.moderation.reputation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.moderation.ban.BanMirror;
import io.securechat.moderation.ban.Restrictions;
import io.securechat.moderation.message.MessagePath;
import io.securechat.moderation.pipeline.Violation;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.KafkaTap;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Violations raise a decaying score in Redis; at the thresholds (defaults: mute 9, ban 24) the
 * subject is muted, then banned, once per burst, through the moderator's code path.
 */
@QuarkusTest
class ReputationIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    SchemaMigrator migrator;

    @Inject
    Event<Violation> violations;

    @Inject
    ReputationScores scores;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    io.securechat.moderation.message.MessageGate gate;

    @Inject
    ViolationRecorder recorder;

    private final List<String> subjects = new ArrayList<>();

    @BeforeEach
    void migrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    @AfterEach
    void cleanUp() {
        for (String s : subjects) {
            pool.preparedQuery("DELETE FROM bans WHERE subject = $1").execute(Tuple.of(s)).await().atMost(WAIT);
            for (String kind : List.of("USER", "GUEST_FINGERPRINT")) {
                redis.key().del(ReputationScores.key(kind, s), BanMirror.key(kind, s),
                        Reputation.LOCK_PREFIX + "MUTE:" + kind + ":" + s, Reputation.LOCK_PREFIX + "BAN:" + kind + ":" + s);
            }
        }
    }

    private String subject(String prefix) {
        String s = prefix + UUID.randomUUID();
        subjects.add(s);
        return s;
    }

    private void fire(Violation v, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            violations.fireAsync(v).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private List<Row> restrictions(String subjectKind, String subject) {
        List<Row> out = new ArrayList<>();
        pool.preparedQuery("SELECT kind, created_by, reason, expires_at, created_at FROM bans WHERE subject_kind = $1 "
                        + "AND subject = $2 ORDER BY created_at")
                .execute(Tuple.of(subjectKind, subject)).await().atMost(WAIT).forEach(out::add);
        return out;
    }

    private long count(String subjectKind, String subject, String kind) {
        return restrictions(subjectKind, subject).stream().filter(r -> kind.equals(r.getString("kind"))).count();
    }

    @Test
    void violationsMuteAtTheThresholdAndBanAboveOnceEachThroughTheModeratorPath() throws Exception {
        String user = subject("it-rep-");
        Violation blocked = new Violation(user, null, "phishing", "message"); // 3 each
        try (KafkaTap actions = KafkaTap.open("moderation.actions.v1"); KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            fire(blocked, 2);
            await().atMost(WAIT).until(() -> scores.current("USER", user).await().atMost(WAIT) > 5.9);
            assertEquals(0, restrictions("USER", user).size(), "score 6 is below the mute threshold (9)");

            fire(blocked, 3); // score about 15: one mute, not two
            await().atMost(WAIT).until(() -> count("USER", user, "MUTE") == 1);
            var mute = actions.await(r -> user.equals(r.key()) && "mute".equals(r.value().path("action").asText()), WAIT);
            assertEquals("system:reputation", mute.value().path("actor").path("userId").asText());
            assertEquals("reputation", mute.value().path("reason").asText());
            audit.await(r -> "moderation.mute".equals(r.value().path("action").asText())
                    && user.equals(r.value().path("details").path("subject").asText())
                    && "system:reputation".equals(r.value().path("actor").path("userId").asText()), WAIT);

            fire(blocked, 4); // score about 27: banned (24)
            await().atMost(WAIT).until(() -> count("USER", user, "BAN") == 1);
            actions.await(r -> user.equals(r.key()) && "ban".equals(r.value().path("action").asText()), WAIT);
            assertTrue(redis.value(String.class).get(BanMirror.key("USER", user)) != null, "the gateway will refuse it");
            Row ban = restrictions("USER", user).stream().filter(r -> "BAN".equals(r.getString("kind"))).findFirst().orElseThrow();
            assertEquals("system:reputation", ban.getString("created_by"));
            long minutes = Duration.between(ban.getOffsetDateTime("created_at"), ban.getOffsetDateTime("expires_at")).toMinutes();
            assertTrue(minutes >= 1439 && minutes <= 1440, "banned for the default 24 h, was " + minutes + " min");

            fire(blocked, 3);
            await().atMost(WAIT).until(() -> scores.current("USER", user).await().atMost(WAIT) > 35);
            assertEquals(1, count("USER", user, "MUTE"), "one mute for the whole burst");
            assertEquals(1, count("USER", user, "BAN"), "one ban for the whole burst");
        }
    }

    @Test
    void aGuestIsScoredByUserIdAndByFingerprint() throws Exception {
        String guest = subject("guest:");
        String fingerprint = subject("fp-");
        fire(new Violation(guest, fingerprint, "malware", "attachment"), 2); // 10: mute
        await().atMost(WAIT).until(() -> count("GUEST_FINGERPRINT", fingerprint, "MUTE") == 1
                && count("USER", guest, "MUTE") == 1);
    }

    /** A chat.inbound.v1 record handed to the gate directly: this instance alone decides it. */
    private void moderate(Map<String, Object> inbound) throws Exception {
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(inbound);
        gate.moderate(new ConsumerRecord<>("chat.inbound.v1", 0, 0L, (String) inbound.get("conversationId"), json))
                .await().atMost(WAIT);
    }

    @Test
    void theGateFiresAViolationPerFreshBlockButNotForBansAndMutesAndRateLimitsWeighNothing() throws Exception {
        String banned = subject("it-rep-banned-");
        String muted = subject("it-rep-muted-");
        String flooder = subject("it-rep-flood-");
        String conversation = UUID.randomUUID().toString();
        try (Restrictions r = new Restrictions(pool)) {
            r.ban("USER", banned);
            r.mute("USER", muted);
            moderate(MessagePath.signedIn(conversation, "gw-it:" + UUID.randomUUID(), banned));
            moderate(MessagePath.signedIn(conversation, "gw-it:" + UUID.randomUUID(), muted));
            // 14 messages on one connection: its bucket holds 10, so the last ones are blocked rate_limited.
            String connection = "gw-it:" + UUID.randomUUID();
            Map<String, Object> first = null;
            for (int i = 0; i < 14; i++) {
                Map<String, Object> m = MessagePath.signedIn(conversation, connection, flooder);
                first = first == null ? m : first;
                moderate(m);
            }
            await().atMost(WAIT).until(() -> recorder.of(flooder).size() >= 2);
            // A redelivered message is recalled, not decided again: no second violation.
            int fired = recorder.of(flooder).size();
            moderate(first);
            assertTrue(recorder.of(flooder).stream().allMatch(v -> "rate_limited".equals(v.reason())
                    && "message".equals(v.source()) && v.guestFingerprint() == null));
            assertEquals(fired, recorder.of(flooder).size());
            // Fired, but rate_limited weighs nothing by default: a burst does not end in a mute.
            assertEquals(0.0, scores.current("USER", flooder).await().atMost(WAIT));
            assertEquals(0, restrictions("USER", flooder).size());
            assertEquals(List.of(), recorder.of(banned), "banned is a consequence, not a new violation");
            assertEquals(List.of(), recorder.of(muted), "muted is a consequence, not a new violation");
            assertEquals(0.0, scores.current("USER", banned).await().atMost(WAIT));
        }
    }
}
