package io.securechat.moderation.flood;

import static io.securechat.moderation.message.MessagePath.signedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.securechat.moderation.ban.Restrictions;
import io.securechat.moderation.message.MessagePath;
import io.securechat.platform.schema.SchemaMigrator;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate with Redis unreachable (the service pointed at a closed port; the shared Redis is left
 * alone): flood limits fail open and say so in a metric, bans still apply from PostgreSQL.
 */
@QuarkusTest
@TestProfile(RedisDownIT.RedisUnreachable.class)
class RedisDownIT {

    public static class RedisUnreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + closedPort());
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    private MessagePath path;
    private final String conversation = UUID.randomUUID().toString();

    @BeforeEach
    void setUp() throws Exception {
        // On a fresh database the migration runs in the background at start-up.
        migrator.awaitMigrated(Duration.ofSeconds(60));
        path = MessagePath.open();
    }

    @AfterEach
    void tearDown() {
        path.close();
    }

    private double failOpen() {
        Counter c = registry.find(FloodPolicy.FAIL_OPEN).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void floodLimitsFailOpenAndBansStillApply() {
        String connection = "gw-it:" + UUID.randomUUID();
        String banned = "it-user-" + UUID.randomUUID();
        double failedOpen = failOpen();
        try (Restrictions restrictions = new Restrictions(pool)) {
            restrictions.ban("USER", banned);
            List<Map<String, Object>> messages = new ArrayList<>();
            // Twice the connection burst: with Redis up, the second half would be refused.
            String user = "it-user-" + UUID.randomUUID();
            for (int i = 0; i < 20; i++) {
                messages.add(signedIn(conversation, connection, user));
            }
            messages.add(signedIn(conversation, connection, banned));
            messages.forEach(path::send);
            var out = MessagePath.byMessageId(path.moderated(conversation, messages.size()));
            List<JsonNode> verdicts = messages.stream().map(m -> out.get((String) m.get("messageId"))).toList();

            for (int i = 0; i < 20; i++) {
                assertEquals("ALLOW", verdicts.get(i).get("verdict").asText(), "message " + i);
            }
            assertEquals("BLOCK", verdicts.get(20).get("verdict").asText());
            assertEquals(List.of("banned"), MessagePath.texts(verdicts.get(20).get("reasons")));
        }
        // The banned message stopped at the bans policy, so flood was asked 20 times.
        assertTrue(failOpen() >= failedOpen + 20, () -> "fail-open count " + failOpen());
    }
}
