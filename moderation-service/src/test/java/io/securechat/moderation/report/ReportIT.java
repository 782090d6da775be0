package io.securechat.moderation.report;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A report from the gateway's {@code report} command to the moderator's queue, with its evidence
 * read from the running transcript-service (which stores the messages this test produces to
 * chat.messages.v1), and its resolution. The running gateway is an older build, so the command is
 * produced here exactly as the gateway's FrameHandler writes it.
 */
@QuarkusTest
class ReportIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String API = "/api/v1/moderation/reports";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    /** The evidence comes from transcript-service: the one running, or the one built in this run. */
    @org.junit.jupiter.api.BeforeAll
    static void transcriptService() {
        io.securechat.testsupport.ServiceJars.ensureRunning("transcript-service", 8083,
                java.util.Map.of("CHAT_SERVICE_CLIENT_SECRET", "chat-transcript-local-secret"));
    }

    @BeforeEach
    void migrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    static String sub(String user) {
        try {
            return ForgedTokens.claimsOf(Keycloak.token(user)).getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String moderator() {
        return "Bearer " + Keycloak.token("moderator1");
    }

    /** The chat.commands.v1 record of a user.report frame, as the gateway writes it (docs/events.md). */
    static ObjectNode reportCommand(String reporter, List<String> roles, String reported, UUID conversationId,
            List<String> messageIds, String reason) {
        ObjectNode c = JSON.createObjectNode();
        c.put("v", 1).put("commandId", UUID.randomUUID().toString()).put("type", "report")
                .put("conversationId", conversationId.toString());
        ObjectNode actor = c.putObject("actor");
        actor.put("userId", reporter);
        roles.forEach(actor.putArray("roles")::add);
        actor.put("displayName", "Agent One").put("guest", false).putNull("fingerprint");
        c.put("gatewayNode", "gw-it").put("connectionId", "gw-it:" + UUID.randomUUID())
                .put("issuedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        c.put("reportedUserId", reported).put("reason", reason);
        messageIds.forEach(c.putArray("messageIds")::add);
        return c;
    }

    /** A conversation of customer1 and agent1 as session-service publishes it, stored by the running transcript-service. */
    static List<String> conversationInTranscript(UUID id, String customer, String agent) {
        for (String type : List.of("started", "assigned")) {
            ObjectNode e = JSON.createObjectNode();
            e.put("v", 1).put("eventId", UUID.randomUUID().toString()).put("type", type)
                    .put("conversationId", id.toString()).put("queue", "support").put("customerId", customer);
            if ("assigned".equals(type)) {
                e.put("agentId", agent);
            } else {
                e.putNull("agentId");
            }
            e.putNull("actor").putNull("reason").put("occurredAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            KafkaTap.produce("chat.conversations.v1", id.toString(), e.toString());
        }
        List<String> ids = new java.util.ArrayList<>();
        String[][] lines = {{customer, "customer", "Ada", "you are useless"}, {agent, "agent", "Agent One", "I am here to help"},
                {customer, "customer", "Ada", "I will find you"}};
        for (int i = 0; i < lines.length; i++) {
            String messageId = UUID.randomUUID().toString();
            ids.add(messageId);
            ObjectNode m = JSON.createObjectNode();
            m.put("v", 1).put("messageId", messageId).put("clientMsgId", "c-" + i).put("conversationId", id.toString())
                    .put("seq", i + 1);
            m.putObject("sender").put("userId", lines[i][0]).put("role", lines[i][1]).put("displayName", lines[i][2])
                    .put("verifiedAgent", "agent".equals(lines[i][1]));
            m.put("text", lines[i][3]);
            m.putArray("redactions");
            m.putArray("attachmentIds");
            m.put("sentAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            KafkaTap.produce("chat.messages.v1", id.toString(), m.toString());
        }
        return ids;
    }

    /** Leaves the shared queue as it was: test reports do not stay open for people and browser tests. */
    static void dismiss(String reportId) {
        given().header("Authorization", moderator()).contentType("application/json")
                .body(Map.of("resolution", "DISMISSED", "note", "integration test")).post(API + "/" + reportId + "/resolve");
    }

    private void awaitListed(String reportId) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> given().header("Authorization", moderator())
                .get(API + "?limit=200").then().statusCode(200).extract().jsonPath().getList("reportId")
                .contains(reportId));
    }

    @Test
    void aReportIsQueuedWithItsEvidenceAndResolvedOnce() {
        String customer = "it-customer-" + UUID.randomUUID();
        String agent = sub("agent1");
        UUID conversation = UUID.randomUUID();
        List<String> messages = conversationInTranscript(conversation, customer, agent);
        ObjectNode command = reportCommand(agent, List.of("agent"), customer, conversation,
                List.of(messages.get(2), messages.get(0)), "threatened me");
        String reportId = command.get("commandId").asText();
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            KafkaTap.produce("chat.commands.v1", conversation.toString(), command.toString());
            // A redelivered command is the same report.
            KafkaTap.produce("chat.commands.v1", conversation.toString(), command.toString());
            awaitListed(reportId);
            var received = audit.await(r -> "report.received".equals(r.value().path("action").asText())
                    && reportId.equals(r.value().path("resource").path("id").asText()), WAIT);
            assertEquals(agent, received.value().path("actor").path("userId").asText());
            assertEquals(customer, received.value().path("details").path("reportedUserId").asText());
            assertEquals(2, received.value().path("details").path("messageCount").asInt());
            assertFalse(received.value().toString().contains("threatened"), "no report text in the audit");

            given().header("Authorization", moderator()).get(API).then().statusCode(200)
                    .body("findAll { it.reportId == '" + reportId + "' }.size()", equalTo(1))
                    .body("find { it.reportId == '" + reportId + "' }.reporterId", equalTo(agent))
                    .body("find { it.reportId == '" + reportId + "' }.reportedUserId", equalTo(customer))
                    .body("find { it.reportId == '" + reportId + "' }.conversationId", equalTo(conversation.toString()))
                    .body("find { it.reportId == '" + reportId + "' }.reason", equalTo("threatened me"))
                    .body("find { it.reportId == '" + reportId + "' }.status", equalTo("OPEN"))
                    .body("find { it.reportId == '" + reportId + "' }.reputation", equalTo(0.0f))
                    .body("find { it.reportId == '" + reportId + "' }.activeBan", nullValue());

            // The evidence: the two named messages, in seq order, read from transcript-service for the moderator.
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> given().header("Authorization", moderator())
                    .get(API + "/" + reportId).then().statusCode(200).extract().jsonPath().getList("evidence").size() == 2);
            given().header("Authorization", moderator()).get(API + "/" + reportId).then().statusCode(200)
                    .body("reportId", equalTo(reportId))
                    .body("evidenceUnavailable", equalTo(false))
                    .body("reporterParticipant", equalTo(true))
                    .body("evidence.messageId", contains(messages.get(0), messages.get(2)))
                    .body("evidence.seq", contains(1, 3))
                    .body("evidence.text", contains("you are useless", "I will find you"))
                    .body("evidence[0].sender.userId", equalTo(customer))
                    .body("evidence[0].sender.role", equalTo("customer"))
                    .body("evidence[0].sender.displayName", equalTo("Ada"))
                    .body("evidence[0].sentAt", notNullValue());
            String moderator = sub("moderator1");
            var opened = audit.await(r -> "report.opened".equals(r.value().path("action").asText())
                    && reportId.equals(r.value().path("resource").path("id").asText()), WAIT);
            assertEquals(moderator, opened.value().path("actor").path("userId").asText());
            var read = audit.await(r -> "transcript.read".equals(r.value().path("action").asText())
                    && conversation.toString().equals(r.value().path("resource").path("id").asText()), WAIT);
            assertEquals(moderator, read.value().path("actor").path("userId").asText());
            assertEquals(reportId, read.value().path("details").path("reportId").asText());
            String via = read.value().path("details").path("via").asText();
            assertFalse(via.isBlank() || via.equals(moderator), "read via moderation-service's own identity: " + via);
        }

        given().header("Authorization", moderator()).contentType("application/json")
                .body(Map.of("resolution", "DISMISSED", "note", "no threat")).post(API + "/" + reportId + "/resolve")
                .then().statusCode(200).body("status", equalTo("RESOLVED")).body("resolution", equalTo("DISMISSED"))
                .body("resolvedBy", equalTo(sub("moderator1"))).body("note", equalTo("no threat"));
        given().header("Authorization", moderator()).contentType("application/json")
                .body(Map.of("resolution", "ACTIONED")).post(API + "/" + reportId + "/resolve")
                .then().statusCode(409).body("code", equalTo("conflict"));
        given().header("Authorization", moderator()).get(API).then().statusCode(200)
                .body("reportId", not(hasItem(reportId)));
        given().header("Authorization", moderator()).get(API + "?status=RESOLVED&limit=200").then().statusCode(200)
                .body("reportId", hasItem(reportId));
    }

    @Test
    void aBanMayNameTheReportItAnswers() {
        UUID conversation = UUID.randomUUID();
        String reported = "it-user-" + UUID.randomUUID();
        ObjectNode command = reportCommand("it-reporter-" + UUID.randomUUID(), List.of("customer"), reported, conversation,
                List.of(), "spam");
        String reportId = command.get("commandId").asText();
        KafkaTap.produce("chat.commands.v1", conversation.toString(), command.toString());
        awaitListed(reportId);
        try {
            given().header("Authorization", moderator()).contentType("application/json")
                    .body(Map.of("subjectKind", "USER", "subject", reported, "kind", "MUTE", "reason", "spam",
                            "duration", "PT1H", "reportId", reportId))
                    .post("/api/v1/moderation/bans").then().statusCode(201).body("reportId", equalTo(reportId));
            given().header("Authorization", moderator()).get(API).then().statusCode(200)
                    .body("find { it.reportId == '" + reportId + "' }.activeMute.reportId", equalTo(reportId))
                    .body("find { it.reportId == '" + reportId + "' }.activeBan", nullValue());
        } finally {
            pool.preparedQuery("DELETE FROM bans WHERE subject = $1").execute(Tuple.of(reported)).await().atMost(WAIT);
            dismiss(reportId);
        }
    }

    @Test
    void unknownIdsAre404BadInput400AndCustomers403() {
        given().header("Authorization", moderator()).get(API + "/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("not_found"));
        given().header("Authorization", moderator()).get(API + "/not-an-id").then().statusCode(404);
        given().header("Authorization", moderator()).contentType("application/json")
                .body(Map.of("resolution", "DISMISSED")).post(API + "/" + UUID.randomUUID() + "/resolve")
                .then().statusCode(404);
        given().header("Authorization", moderator()).contentType("application/json")
                .body(Map.of("resolution", "MAYBE")).post(API + "/" + UUID.randomUUID() + "/resolve")
                .then().statusCode(400).body("code", equalTo("bad_request"));
        given().header("Authorization", moderator()).get(API + "?status=CLOSED").then().statusCode(400)
                .body("code", equalTo("bad_request"));
        given().header("Authorization", moderator()).get(API + "?limit=1000").then().statusCode(400);
        given().header("Authorization", moderator()).get(API + "?before=" + UUID.randomUUID()).then().statusCode(400);
        given().header("Authorization", "Bearer " + Keycloak.token("customer1")).get(API).then().statusCode(403);
        given().header("Authorization", "Bearer " + Keycloak.token("agent1")).get(API + "/" + UUID.randomUUID())
                .then().statusCode(403);
    }
}
