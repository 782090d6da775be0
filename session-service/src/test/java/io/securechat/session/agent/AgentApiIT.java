package io.securechat.session.agent;

import static io.restassured.RestAssured.given;
import static io.securechat.session.testing.LiveConversationsProfile.MANUAL_QUEUE;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.securechat.session.testing.LiveConversationTest;
import io.securechat.session.testing.LiveConversationsProfile;
import io.securechat.session.testing.RealmUser;
import io.securechat.session.testing.TestUser;
import io.securechat.testsupport.Keycloak;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent console's REST reads: the agent list for transfers, the caller's own open
 * conversations (restoring tabs after a reload) and the supervisor's view of a queue's
 * assigned conversations; with real Keycloak tokens.
 */
@QuarkusTest
@TestProfile(LiveConversationsProfile.class)
class AgentApiIT extends LiveConversationTest {

    static RealmUser agent1;
    static RealmUser agent2;
    static RealmUser supervisor1;

    @BeforeAll
    static void realmUsers() {
        agent1 = RealmUser.of("agent1", "agent");
        agent2 = RealmUser.of("agent2", "agent");
        supervisor1 = RealmUser.of("supervisor1", "supervisor");
    }

    private static ValidatableResponse get(String username, String path) {
        return given().header("Authorization", "Bearer " + Keycloak.token(username)).get(path).then();
    }

    private static TestUser namedAgent(String displayName) {
        return new TestUser("it-agent-" + UUID.randomUUID(), "agent", displayName, false, "gw-1", "gw-1:" + UUID.randomUUID());
    }

    private UUID startAssigned(TestUser customer, TestUser agent) {
        UUID id = kafka.start(customer, MANUAL_QUEUE);
        awaitFrame(customer, "conversation.queued", id);
        kafka.simple("accept", id, agent);
        awaitFrame(customer, "conversation.assigned", id);
        return id;
    }

    private void close(UUID id, TestUser by) {
        kafka.simple("close", id, by);
        lifecycle.await("closed", event("closed", id));
    }

    @Test
    void agentsAreListedByDisplayNameWithStatusCapacityAndLoad() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        TestUser zed = online(namedAgent("zz it agent " + suffix), 2);
        TestUser abe = online(namedAgent("aa it agent " + suffix), 4);
        TestUser gone = namedAgent("mm it agent " + suffix);
        kafka.agentStatus(gone, "offline", null);
        awaitAgentStatus(gone, "offline");
        TestUser customer = present(TestUser.customer());
        UUID id = startAssigned(customer, abe);

        var body = get("agent1", "/api/v1/agents").statusCode(200)
                .body("userId", hasItem(zed.userId()))
                .body("userId", not(hasItem(gone.userId())))
                .body("find { it.userId == '" + abe.userId() + "' }.status", equalTo("online"))
                .body("find { it.userId == '" + abe.userId() + "' }.capacity", equalTo(4))
                .body("find { it.userId == '" + abe.userId() + "' }.active", equalTo(1))
                .body("find { it.userId == '" + abe.userId() + "' }.displayName", equalTo(abe.displayName()))
                .body("find { it.userId == '" + zed.userId() + "' }.active", equalTo(0))
                .extract().jsonPath();
        List<String> ids = body.getList("userId", String.class);
        assertTrue(ids.indexOf(abe.userId()) < ids.indexOf(zed.userId()), "by display name");
        get("agent1", "/api/v1/agents?includeOffline=true").statusCode(200)
                .body("find { it.userId == '" + gone.userId() + "' }.status", equalTo("offline"));
        get("supervisor1", "/api/v1/agents").statusCode(200);
        get("customer1", "/api/v1/agents").statusCode(403);
        get("compliance1", "/api/v1/agents").statusCode(403);
        given().get("/api/v1/agents").then().statusCode(401);
        close(id, customer);
    }

    @Test
    void staffGetTheirOpenConversationsBack() {
        TestUser customer = present(TestUser.customer());
        TestUser agent = present(agent1.onGateway());
        TestUser supervisor = present(supervisor1.onGateway());
        UUID id = startAssigned(customer, agent);
        UUID waiting = kafka.start(customer, MANUAL_QUEUE);
        awaitFrame(customer, "conversation.queued", waiting);
        kafka.send(kafka.command("subscribe", id, supervisor).put("afterSeq", 0));
        kafka.send(kafka.command("subscribe", waiting, supervisor).put("afterSeq", 0));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> row(
                "SELECT count(*) AS n FROM conversation_supervisors WHERE user_id = $1 AND conversation_id = ANY($2)",
                supervisor1.userId(), new UUID[] {id, waiting}).getLong("n") == 2);
        String mine = "/api/v1/agents/me/conversations";

        get("agent1", mine).statusCode(200)
                .body("conversationId", hasItem(id.toString()))
                .body("conversationId", not(hasItem(waiting.toString())))
                .body("find { it.conversationId == '" + id + "' }.state", equalTo("ASSIGNED"))
                .body("find { it.conversationId == '" + id + "' }.agent.userId", equalTo(agent1.userId()))
                .body("find { it.conversationId == '" + id + "' }.customer.userId", equalTo(customer.userId()));
        get("agent2", mine).statusCode(200).body("conversationId", not(hasItem(id.toString())));
        get("supervisor1", mine).statusCode(200)
                .body("conversationId", hasItem(id.toString()))
                .body("conversationId", hasItem(waiting.toString()));
        get("customer1", mine).statusCode(403);

        close(id, agent);
        close(waiting, customer);
        get("agent1", mine).statusCode(200).body("conversationId", not(hasItem(id.toString())));
        get("supervisor1", mine).statusCode(200)
                .body("conversationId", not(hasItem(id.toString())))
                .body("conversationId", not(hasItem(waiting.toString())));
    }

    @Test
    void supervisorsSeeTheAssignedConversationsOfAQueueAgentsDoNot() {
        TestUser customer = present(TestUser.customer());
        TestUser agent = present(agent2.onGateway());
        UUID id = startAssigned(customer, agent);
        String queue = "/api/v1/queues/" + MANUAL_QUEUE + "/conversations";
        String found = "find { it.conversationId == '" + id + "' }.";

        get("supervisor1", queue + "?state=ASSIGNED").statusCode(200)
                .body("conversationId", hasItem(id.toString()))
                .body(found + "agent.userId", equalTo(agent2.userId()))
                .body(found + "agent.displayName", equalTo(agent2.displayName()))
                .body(found + "assignedAt", notNullValue())
                .body(found + "queuedAt", notNullValue())
                .body(found + "waitingSeconds", greaterThanOrEqualTo(0))
                .body(found + "openSeconds", greaterThanOrEqualTo(0))
                .body(found + "subject", equalTo("order 42"))
                .body(found + "clientRef", equalTo("ref-" + id))
                .body(found + "customerDisplayName", equalTo(customer.displayName()))
                .body(found + "guest", equalTo(false));
        get("agent1", queue + "?state=ASSIGNED").statusCode(403).body("code", equalTo("forbidden"));
        get("agent1", queue + "?state=QUEUED").statusCode(200).body("conversationId", not(hasItem(id.toString())));
        get("supervisor1", queue).statusCode(200).body("conversationId", not(hasItem(id.toString())));
        get("supervisor1", queue + "?state=CLOSED").statusCode(400).body("code", equalTo("bad_request"));
        get("supervisor1", "/api/v1/queues/no-such-queue/conversations?state=ASSIGNED").statusCode(404);
        get("customer1", queue + "?state=ASSIGNED").statusCode(403);

        close(id, agent);
        get("supervisor1", queue + "?state=ASSIGNED").statusCode(200).body("conversationId", not(hasItem(id.toString())));
    }
}
