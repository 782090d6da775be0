package io.securechat.moderation.flood;

import static io.securechat.moderation.message.MessagePath.signedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.moderation.message.MessagePath;
import io.securechat.platform.schema.SchemaMigrator;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policy {@code flood} with its default buckets (connection: burst 10, 2/s; user: burst 20, 4/s)
 * in the real Redis. Refill keeps going while the test runs, so the assertions hold for any
 * processing speed up to several seconds per burst: the burst itself passes, and what exceeds
 * burst plus refill is refused.
 */
@QuarkusTest
class FloodPolicyIT {

    @Inject
    SchemaMigrator migrator;

    private MessagePath path;
    private final String conversation = UUID.randomUUID().toString();
    private final String user = "it-user-" + UUID.randomUUID();

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

    /** Sends the messages of one conversation (so they are moderated in order); their verdicts in that order. */
    private List<JsonNode> verdicts(List<Map<String, Object>> messages) {
        messages.forEach(path::send);
        var out = MessagePath.byMessageId(path.moderated(conversation, messages.size()));
        return messages.stream().map(m -> out.get((String) m.get("messageId"))).toList();
    }

    private static void assertBurstPassesThenRateLimited(int burst, List<JsonNode> verdicts) {
        for (int i = 0; i < burst; i++) {
            assertEquals("ALLOW", verdicts.get(i).get("verdict").asText(), "message " + i + " is within the burst");
        }
        long limited = verdicts.stream().filter(v -> v.get("verdict").asText().equals("BLOCK")).count();
        assertTrue(limited > 0, "a flood past the burst is refused");
        verdicts.stream().filter(v -> v.get("verdict").asText().equals("BLOCK"))
                .forEach(v -> assertEquals(List.of("rate_limited"), MessagePath.texts(v.get("reasons"))));
    }

    @Test
    void aFloodFromOneConnectionIsRateLimitedAfterTheBurst() {
        String connection = "gw-it:" + UUID.randomUUID();
        List<Map<String, Object>> flood = new ArrayList<>();
        // 30 messages: 10 pass at once, 2 more per second; all 30 pass only if moderating them took 10 s.
        for (int i = 0; i < 30; i++) {
            flood.add(signedIn(conversation, connection, user));
        }
        assertBurstPassesThenRateLimited(10, verdicts(flood));
    }

    @Test
    void theUserBucketLimitsAUserAcrossConnections() {
        List<String> connections = List.of(1, 2, 3, 4, 5).stream().map(i -> "gw-it:" + UUID.randomUUID()).toList();
        List<Map<String, Object>> flood = new ArrayList<>();
        // 9 per connection stays under each connection's burst of 10; 45 in all is far past the user's 20.
        for (int round = 0; round < 9; round++) {
            for (String connection : connections) {
                flood.add(signedIn(conversation, connection, user));
            }
        }
        assertBurstPassesThenRateLimited(20, verdicts(flood));
    }
}
