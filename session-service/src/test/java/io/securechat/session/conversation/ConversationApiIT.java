package io.securechat.session.conversation;

import static io.restassured.RestAssured.given;
import static io.securechat.session.testing.LiveConversationsProfile.MANUAL_QUEUE;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.securechat.session.testing.LiveConversationTest;
import io.securechat.session.testing.LiveConversationsProfile;
import io.securechat.session.testing.RealmUser;
import io.securechat.session.testing.TestUser;
import io.securechat.session.testing.TopicProbe.Rec;
import io.securechat.testsupport.Keycloak;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conversation REST API (summary, messages, a customer's conversations) with real Keycloak
 * tokens: conversations are driven through Kafka as the realm's users, then read back as each
 * kind of caller. Refusals are 404, as for an unknown id.
 */
@QuarkusTest
@TestProfile(LiveConversationsProfile.class)
class ConversationApiIT extends LiveConversationTest {

    static RealmUser customer1;
    static RealmUser customer2;
    static RealmUser agent1;
    static RealmUser agent2;
    static RealmUser supervisor1;
    static RealmUser compliance1;

    @BeforeAll
    static void realmUsers() {
        customer1 = RealmUser.of("customer1", "customer");
        customer2 = RealmUser.of("customer2", "customer");
        agent1 = RealmUser.of("agent1", "agent");
        agent2 = RealmUser.of("agent2", "agent");
        supervisor1 = RealmUser.of("supervisor1", "supervisor");
        compliance1 = RealmUser.of("compliance1", "compliance");
    }

    private static ValidatableResponse get(RealmUser user, String path) {
        return given().header("Authorization", user.bearer()).get(path).then();
    }

    private static ValidatableResponse getAs(String username, String path) {
        return given().header("Authorization", "Bearer " + Keycloak.token(username)).get(path).then();
    }

    private UUID startAndWait(TestUser customer) {
        UUID id = kafka.start(customer, MANUAL_QUEUE);
        awaitFrame(customer, "conversation.queued", id);
        return id;
    }

    private void accept(UUID id, TestUser agent, TestUser customer) {
        kafka.simple("accept", id, agent);
        awaitFrame(customer, "conversation.assigned", id);
    }

    private void close(UUID id, TestUser by) {
        kafka.simple("close", id, by);
        lifecycle.await("closed", event("closed", id));
    }

    private void awaitLastSeq(UUID id, long seq) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> String.valueOf(seq).equals(conversationColumn(id, "last_seq")));
    }

    /** The stack is shared: the refusal tests need the agent not to serve the customer by a left-over conversation. */
    private void assertNotServing(RealmUser agent, String customerId) {
        var r = row("SELECT count(*) AS n FROM conversations WHERE state = 'ASSIGNED' AND agent_id = $1 AND customer_id = $2",
                agent.userId(), customerId);
        assertEquals(0L, r.getLong("n"), agent.username() + " serves this customer in a left-over conversation");
    }

    private static Predicate<Rec> transcriptRead(UUID id, RealmUser reader) {
        return r -> "transcript.read".equals(r.value().path("action").asText())
                && ("conversation:" + id).equals(r.key())
                && reader.userId().equals(r.value().path("actor").path("userId").asText());
    }

    @Test
    void theSummaryIsForTheCustomerTheAssignedAgentTheQueueViewSupervisorsAndCompliance() {
        TestUser customer = present(customer1.onGateway());
        UUID id = startAndWait(customer);
        String path = "/api/v1/conversations/" + id;

        get(customer1, path).statusCode(200)
                .body("conversationId", equalTo(id.toString()))
                .body("queue", equalTo(MANUAL_QUEUE))
                .body("state", equalTo("QUEUED"))
                .body("subject", equalTo("order 42"))
                .body("clientRef", equalTo("ref-" + id))
                .body("customer.userId", equalTo(customer1.userId()))
                .body("customer.displayName", equalTo(customer1.displayName()))
                .body("customer.guest", equalTo(false))
                .body("agent", nullValue())
                .body("createdAt", notNullValue())
                .body("assignedAt", nullValue())
                .body("closedAt", nullValue())
                .body("lastSeq", equalTo(0));
        get(customer2, path).statusCode(404).body("code", equalTo("not_found"));
        get(agent1, path).statusCode(200).body("state", equalTo("QUEUED")); // the queue view shows it anyway
        getAs("moderator1", path).statusCode(403);
        given().get(path).then().statusCode(401);
        get(customer1, "/api/v1/conversations/not-a-uuid").statusCode(404);
        get(supervisor1, "/api/v1/conversations/" + UUID.randomUUID()).statusCode(404);

        TestUser agent = present(agent2.onGateway());
        accept(id, agent, customer);
        assertNotServing(agent1, customer1.userId());
        get(agent1, path).statusCode(404);
        get(agent2, path).statusCode(200)
                .body("state", equalTo("ASSIGNED"))
                .body("agent.userId", equalTo(agent2.userId()))
                .body("agent.displayName", equalTo(agent2.displayName()))
                .body("assignedAt", notNullValue());
        get(supervisor1, path).statusCode(200).body("state", equalTo("ASSIGNED"));
        get(compliance1, path).statusCode(200);

        close(id, customer);
        get(customer1, path).statusCode(200).body("state", equalTo("CLOSED")).body("closedAt", notNullValue());
        get(agent2, path).statusCode(200); // the agent who had it last, as subscribe allows
    }

    @Test
    void messagesComeAsMessageFramesInSeqOrderPageByPage() {
        TestUser customer = present(customer1.onGateway());
        TestUser agent = present(agent2.onGateway());
        UUID id = startAndWait(customer);
        accept(id, agent, customer);
        kafka.moderated(id, customer, "ALLOW", List.of());
        kafka.moderated(id, agent, "ALLOW", List.of());
        kafka.moderated(id, customer, "ALLOW", List.of());
        awaitLastSeq(id, 3);
        String path = "/api/v1/conversations/" + id + "/messages";

        var all = get(customer1, path).statusCode(200)
                .body("conversationId", equalTo(id.toString()))
                .body("messages.seq", contains(1, 2, 3))
                .body("messages.type", everyItem(equalTo("message")))
                .body("messages.conversationId", everyItem(equalTo(id.toString())))
                .body("messages.sender.userId", contains(customer1.userId(), agent2.userId(), customer1.userId()))
                .body("messages.sender.verifiedAgent", contains(false, true, false))
                .body("messages[1].sender.role", equalTo("agent"))
                .body("messages[0].messageId", notNullValue())
                .body("messages[0].sentAt", notNullValue())
                .body("messages[0].attachments", empty())
                .body("messages[0].redactions", empty())
                .body("hasMore", equalTo(false))
                .body("nextAfterSeq", equalTo(3))
                .extract().jsonPath();
        assertTrue(all.getString("messages[0].text").startsWith("hello "));
        // Exactly the frame's fields, in its order.
        assertEquals(List.of("type", "conversationId", "seq", "messageId", "sender", "text", "redactions", "attachments",
                "sentAt"), List.copyOf(all.getMap("messages[0]").keySet()));

        get(customer1, path + "?limit=2").statusCode(200)
                .body("messages.seq", contains(1, 2)).body("hasMore", equalTo(true)).body("nextAfterSeq", equalTo(2));
        get(customer1, path + "?afterSeq=2&limit=2").statusCode(200)
                .body("messages.seq", contains(3)).body("hasMore", equalTo(false)).body("nextAfterSeq", equalTo(3));
        get(customer1, path + "?afterSeq=3").statusCode(200)
                .body("messages", empty()).body("hasMore", equalTo(false)).body("nextAfterSeq", equalTo(3));

        for (String bad : List.of("?limit=0", "?limit=201", "?limit=abc", "?afterSeq=-1", "?afterSeq=x")) {
            get(customer1, path + bad).statusCode(400).body("code", equalTo("bad_request"))
                    .body("message", notNullValue());
        }
        get(customer1, path + "?limit=200").statusCode(200);

        assertNotServing(agent1, customer1.userId());
        get(customer2, path).statusCode(404).body("code", equalTo("not_found"));
        get(agent1, path).statusCode(404);
        getAs("moderator1", path).statusCode(403);
        get(customer1, "/api/v1/conversations/" + UUID.randomUUID() + "/messages").statusCode(404);
        get(customer1, "/api/v1/conversations/nope/messages").statusCode(404);
        get(agent2, path).statusCode(200).body("messages.seq", contains(1, 2, 3));
        close(id, agent);
        get(customer1, path).statusCode(200).body("messages.seq", contains(1, 2, 3)); // history stays readable
    }

    @Test
    void complianceAndSupervisorReadsAreAuditedTheCustomersAreNot() {
        TestUser customer = present(customer1.onGateway());
        UUID id = startAndWait(customer);
        kafka.moderated(id, customer, "ALLOW", List.of());
        kafka.moderated(id, customer, "ALLOW", List.of());
        awaitLastSeq(id, 2);
        String path = "/api/v1/conversations/" + id + "/messages";

        get(customer1, path).statusCode(200).body("messages.seq", contains(1, 2));
        get(compliance1, path).statusCode(200).body("messages.seq", contains(1, 2));
        Rec read = audit.await("compliance read audited", transcriptRead(id, compliance1));
        assertEquals("SUCCESS", read.value().path("outcome").asText());
        assertEquals("conversation", read.value().path("resource").path("type").asText());
        assertEquals(id.toString(), read.value().path("resource").path("id").asText());
        assertEquals("compliance", read.value().path("details").path("basis").asText());
        assertEquals(2, read.value().path("details").path("messageCount").asInt());
        assertEquals("session-service", read.value().path("service").asText());
        assertTrue(read.value().path("actor").path("roles").toString().contains("compliance"));
        assertFalse(read.value().toString().contains("hello "), "no message text in the audit record");

        get(supervisor1, path + "?afterSeq=1").statusCode(200).body("messages.seq", contains(2));
        Rec bySupervisor = audit.await("supervisor read audited", transcriptRead(id, supervisor1));
        assertEquals("supervisor", bySupervisor.value().path("details").path("basis").asText());
        assertEquals(1, bySupervisor.value().path("details").path("messageCount").asInt());
        // Same key, same partition: the customer's earlier read would be before these.
        assertTrue(audit.matching(transcriptRead(id, customer1)).isEmpty(), "the customer's own read is not audited");
        close(id, customer);
    }

    @Test
    void anAgentServingTheCustomerReadsTheirEarlierConversationsOnlyWhileServing() {
        TestUser customer = present(TestUser.customer());
        TestUser first = present(agent2.onGateway());
        TestUser second = present(agent1.onGateway());
        UUID earlier = startAndWait(customer);
        accept(earlier, first, customer);
        kafka.moderated(earlier, customer, "ALLOW", List.of());
        awaitLastSeq(earlier, 1);
        close(earlier, first);
        UUID now = startAndWait(customer);
        String history = "/api/v1/conversations/" + earlier + "/messages";
        String list = "/api/v1/customers/" + customer.userId() + "/conversations";

        get(agent1, history).statusCode(404);
        get(agent1, "/api/v1/conversations/" + earlier).statusCode(404);
        get(agent1, list).statusCode(404);

        accept(now, second, customer);
        get(agent1, history).statusCode(200).body("messages.seq", contains(1));
        Rec read = audit.await("the serving agent's read is audited", transcriptRead(earlier, agent1));
        assertEquals("serving_agent", read.value().path("details").path("basis").asText());
        get(agent1, "/api/v1/conversations/" + earlier).statusCode(200).body("state", equalTo("CLOSED"))
                .body("agent.userId", equalTo(agent2.userId()));
        get(agent1, list).statusCode(200).body("conversationId", contains(now.toString(), earlier.toString()))
                .body("[0].state", equalTo("ASSIGNED"));
        get(agent1, list + "?limit=1").statusCode(200).body("conversationId", contains(now.toString()));
        get(agent2, history).statusCode(200); // the agent who had it
        get(agent2, "/api/v1/conversations/" + now + "/messages").statusCode(404); // not theirs, and agent2 serves nobody here

        close(now, second);
        get(agent1, history).statusCode(404);
        get(agent1, list).statusCode(404);
    }

    @Test
    void customersListTheirOwnConversationsNewestFirst() {
        TestUser customer = present(customer1.onGateway());
        UUID older = startAndWait(customer);
        UUID newer = startAndWait(customer);
        String own = "/api/v1/customers/" + customer1.userId() + "/conversations";

        var ids = get(customer1, own + "?limit=100").statusCode(200)
                .body("conversationId", hasItem(newer.toString()))
                .body("customer.userId", everyItem(equalTo(customer1.userId())))
                .extract().jsonPath().getList("conversationId", String.class);
        assertTrue(ids.indexOf(newer.toString()) < ids.indexOf(older.toString()), "newest first");
        get(customer1, own + "?limit=1").statusCode(200).body("size()", equalTo(1));
        get(customer2, own).statusCode(404).body("code", equalTo("not_found"));
        get(customer1, "/api/v1/customers/" + customer2.userId() + "/conversations").statusCode(404);
        get(customer2, "/api/v1/customers/" + customer2.userId() + "/conversations").statusCode(200);
        assertNotServing(agent1, customer1.userId());
        get(agent1, own).statusCode(404);
        get(supervisor1, own).statusCode(200).body("conversationId", hasItem(older.toString()));
        get(compliance1, own).statusCode(200).body("conversationId", hasItem(older.toString()));
        getAs("moderator1", own).statusCode(403);
        for (String bad : List.of("?limit=0", "?limit=101", "?limit=ten")) {
            get(customer1, own + bad).statusCode(400).body("code", equalTo("bad_request"));
        }
        close(older, customer);
        close(newer, customer);
    }
}
