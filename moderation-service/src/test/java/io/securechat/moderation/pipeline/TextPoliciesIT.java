package io.securechat.moderation.pipeline;

import static io.restassured.RestAssured.given;
import static io.securechat.moderation.message.MessagePath.signedIn;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.securechat.moderation.conversation.ConversationEvents;
import io.securechat.moderation.message.MessagePath;
import io.securechat.platform.schema.SchemaMigrator;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The text policies in the real message path: chat.inbound.v1 in, chat.moderated.v1 (and
 * audit.events.v1) out, per-queue settings from real chat.conversations.v1 events. The test
 * profile configures queue {@code it-billing} to block sensitive data and {@code it-sales} to
 * switch phishing and spam off (application.properties).
 */
@QuarkusTest
@TestProfile(TextPoliciesIT.OwnRedisDatabase.class)
class TextPoliciesIT {

    /**
     * Redis database 1 instead of 0: a moderation-service from {@code ./chat up} running beside the
     * test moderates the same inbound records, and through a shared Redis this instance would
     * recall that service's remembered verdicts (and share its spam counters) instead of deciding
     * with the test's queue settings.
     */
    public static class OwnRedisDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = System.getenv().getOrDefault("CHAT_REDIS_URL", "redis://127.0.0.1:16379");
            return Map.of("quarkus.redis.hosts", url.replaceAll("/\\d+$", "") + "/1");
        }
    }

    private static final String CARD = "4111 1111 1111 1111";
    private static final String LURE = "confirm your account at http://203.0.113.9/acme-login now";

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    private MessagePath path;
    private ConversationEvents events;
    private final String user = "it-user-" + UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
        path = MessagePath.open();
        events = new ConversationEvents();
    }

    @AfterEach
    void tearDown() {
        path.close();
        events.close();
    }

    /**
     * Sends one message with this text in the conversation and waits for a verdict record about
     * it with the expected verdict. "A record", not "the record": a moderation-service started by
     * {@code ./chat up} may be running beside the test and moderates the same inbound records with
     * its own settings (its group is not the test's), so the record of this instance is told
     * apart by what the test configured. With no service beside it, there is one record. Fails
     * with every copy seen when none has that verdict.
     */
    private JsonNode moderate(String conversation, String text, String verdict) {
        Map<String, Object> message = signedIn(conversation, "gw-it:" + UUID.randomUUID(), user);
        message.put("text", text);
        return moderate(message, verdict);
    }

    private JsonNode moderate(Map<String, Object> message, String verdict) {
        path.send(message);
        String id = (String) message.get("messageId");
        String conversation = (String) message.get("conversationId");
        try {
            await().atMost(MessagePath.WAIT).until(() -> copies(conversation, id).stream()
                    .anyMatch(c -> verdict.equals(c.get("verdict").asText())));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no " + verdict + " for message " + id + "; got " + copies(conversation, id), e);
        }
        return copies(conversation, id).stream().filter(c -> verdict.equals(c.get("verdict").asText())).findFirst()
                .orElseThrow();
    }

    private List<JsonNode> copies(String conversation, String messageId) {
        return path.moderatedSoFar(conversation).stream().map(MessagePath.Out::json)
                .filter(j -> messageId.equals(j.path("messageId").asText())).toList();
    }

    /** Puts the conversation into the queue through a real lifecycle event and waits until it is stored. */
    private void queue(String type, String conversation, String queue) {
        events.send(type, conversation, queue);
        await().atMost(MessagePath.WAIT).until(() -> {
            var rows = pool.preparedQuery("SELECT queue FROM conversation_queues WHERE conversation_id = $1")
                    .execute(Tuple.of(conversation)).await().atMost(Duration.ofSeconds(10));
            return rows.iterator().hasNext() && queue.equals(rows.iterator().next().getString("queue"));
        });
    }

    private double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aCardNumberComesOutRedactedWithItsSpanAndReason() {
        String conversation = UUID.randomUUID().toString();
        String text = "my card is " + CARD + " thanks";
        double found = count(PolicyPipeline.FINDINGS, "policy", "sensitive-data", "verdict", "REDACT",
                "reason", "sensitive_data.card");

        JsonNode out = moderate(conversation, text, "REDACT");

        assertEquals(List.of("sensitive_data.card"), MessagePath.texts(out.get("reasons")));
        JsonNode span = out.get("redactions").get(0);
        assertEquals("card", span.get("kind").asText());
        assertEquals(text.indexOf(CARD), span.get("start").asInt());
        assertEquals(text.indexOf(CARD) + CARD.length() - 4, span.get("end").asInt());
        assertEquals("my card is " + "*".repeat(15) + "1111 thanks", out.get("text").asText());
        assertTrue(count(PolicyPipeline.FINDINGS, "policy", "sensitive-data", "verdict", "REDACT",
                "reason", "sensitive_data.card") >= found + 1);
        given().get("/q/metrics").then().statusCode(200).body(containsString(
                "chat_moderation_policy_findings_total{policy=\"sensitive-data\",reason=\"sensitive_data.card\",verdict=\"REDACT\"}"));
    }

    @Test
    void aPhishingLinkIsBlockedWithThePhishingCodeFirstAndAudited() {
        String conversation = UUID.randomUUID().toString();
        Map<String, Object> message = signedIn(conversation, "gw-it:" + UUID.randomUUID(), user);
        message.put("text", LURE);
        String id = (String) message.get("messageId");

        JsonNode out = moderate(message, "BLOCK");
        List<String> reasons = MessagePath.texts(out.get("reasons"));
        assertEquals("phishing", reasons.getFirst(), "session-service tells the sender the first code");
        assertTrue(reasons.contains("phishing.ip_literal"), reasons.toString());
        assertEquals("", out.get("text").asText());

        MessagePath.Out audit = path.audit(id);
        assertEquals(reasons, MessagePath.texts(audit.json().get("details").get("reasons")));
        assertFalse(audit.value().contains("203.0.113.9"), "no text in the audit record");
    }

    @Test
    void aStaffDisplayNameIsRefused() {
        String conversation = UUID.randomUUID().toString();
        Map<String, Object> message = signedIn(conversation, "gw-it:" + UUID.randomUUID(), user);
        @SuppressWarnings("unchecked")
        Map<String, Object> sender = (Map<String, Object>) message.get("sender");
        sender.put("displayName", "Acme Supp0rt");
        JsonNode out = moderate(message, "BLOCK");
        assertEquals(List.of("blocked_content", "impersonation.staff_name"), MessagePath.texts(out.get("reasons")));
    }

    @Test
    void theSameTextFourTimesInARowIsSpam() {
        String conversation = UUID.randomUUID().toString();
        String text = "is anybody there " + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            moderate(conversation, text, "ALLOW");
        }
        JsonNode fourth = moderate(conversation, text, "BLOCK");
        assertEquals(List.of("blocked_content", "spam.repeat"), MessagePath.texts(fourth.get("reasons")));
    }

    @Test
    void aQueueSetToBlockRefusesTheCardAndAQueueWithoutPhishingLetsTheLinkThrough() {
        String billing = UUID.randomUUID().toString();
        queue("queued", billing, "it-billing");
        JsonNode card = moderate(billing, "my card is " + CARD, "BLOCK");
        assertEquals(List.of("blocked_content", "sensitive_data.card"), MessagePath.texts(card.get("reasons")));

        String sales = UUID.randomUUID().toString();
        queue("queued", sales, "it-sales");
        moderate(sales, LURE, "ALLOW"); // phishing is off in it-sales
        // The other policies still run there.
        moderate(sales, "card " + CARD, "REDACT");
    }

    @Test
    void aTransferMovesTheConversationToTheNewQueuesSettings() {
        String conversation = UUID.randomUUID().toString();
        queue("queued", conversation, "support");
        moderate(conversation, "card " + CARD, "REDACT");
        queue("transferred", conversation, "it-billing");
        moderate(conversation, "card " + CARD, "BLOCK");
    }

    @Test
    void aConversationWhoseQueueIsNotKnownYetGetsTheDefaults() {
        double unknown = count("chat.moderation.queue.unknown");
        String conversation = UUID.randomUUID().toString();
        moderate(conversation, "card " + CARD, "REDACT");
        moderate(conversation, LURE, "BLOCK");
        assertTrue(count("chat.moderation.queue.unknown") >= unknown + 2);
    }
}
