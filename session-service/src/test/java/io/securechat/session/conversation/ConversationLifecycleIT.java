package io.securechat.session.conversation;

import static io.restassured.RestAssured.given;
import static io.securechat.session.testing.LiveConversationsProfile.MANUAL_QUEUE;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.securechat.session.testing.LiveConversationTest;
import io.securechat.session.testing.LiveConversationsProfile;
import io.securechat.session.testing.TestUser;
import io.securechat.session.testing.TopicProbe.Rec;
import io.securechat.testsupport.Keycloak;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Start, queue positions, accept, transfer, close and idle close, driven through Kafka. */
@QuarkusTest
@TestProfile(LiveConversationsProfile.class)
class ConversationLifecycleIT extends LiveConversationTest {

    @Test
    void waitingCustomersLearnTheirPositionAndMoveUpWhenSomeoneLeaves() {
        TestUser first = present(TestUser.customer());
        TestUser second = present(TestUser.aGuest());
        UUID a = kafka.start(first, MANUAL_QUEUE);
        awaitFrame(first, "conversation.queued", a); // keeps the two starts in order
        UUID b = kafka.start(second, MANUAL_QUEUE);

        Rec started = awaitFrame(first, "conversation.started", a);
        assertEquals("ref-" + a, frame(started).path("clientRef").asText());
        assertEquals(MANUAL_QUEUE, frame(started).path("queue").asText());
        int posA = frame(awaitFrame(first, "conversation.queued", a)).path("position").asInt();
        int posB = frame(awaitFrame(second, "conversation.queued", b)).path("position").asInt();
        assertTrue(posA >= 1);
        assertEquals(posA + 1, posB, "the later start waits behind the earlier one");

        lifecycle.await("started event", event("started", a));
        Rec queued = lifecycle.await("queued event", event("queued", a));
        assertEquals(first.userId(), queued.value().path("customerId").asText());
        assertEquals(a.toString(), queued.key());

        kafka.simple("close", a, first);
        awaitFrame(first, "conversation.closed", a);
        Rec moved = gw1.await("new position of the second", frame("conversation.queued", b).and(to(second))
                .and(r -> frame(r).path("position").asInt() == posA));
        assertEquals(List.of(second.userId()), recipients(moved), "a position goes to its customer only");
        assertEquals("closed_by_customer", lifecycle.await("closed event", event("closed", a)).value().path("reason").asText());
        audit.await("audit of the start", r -> "conversation.started".equals(r.value().path("action").asText())
                && ("conversation:" + a).equals(r.key()));
        kafka.simple("close", b, second);
    }

    @Test
    void anUnknownQueueIsABadRequestToTheSenderOnly() {
        TestUser customer = present(TestUser.customer());
        UUID id = UUID.randomUUID();
        kafka.send(kafka.command("start", id, customer).put("clientRef", "x").put("queue", "no-such-queue"));
        Rec error = gw1.await("bad_request", errorTo(customer, "bad_request", "conversation.start"));
        assertEquals(List.of(customer.userId()), recipients(error));
        assertEquals(null, conversationColumn(id, "state"), "nothing stored");
    }

    @Test
    void anAgentAcceptsAWaitingConversationAndNobodyElseCan() {
        TestUser customer = present(TestUser.customer());
        TestUser agent = present(TestUser.agent());
        TestUser late = present(TestUser.agent());
        UUID id = kafka.start(customer, "support");
        awaitFrame(customer, "conversation.queued", id);

        kafka.simple("accept", id, customer);
        gw1.await("customers may not accept", errorTo(customer, "forbidden", "conversation.accept"));

        kafka.simple("accept", id, agent);
        Rec toCustomer = awaitFrame(customer, "conversation.assigned", id);
        assertEquals(agent.userId(), frame(toCustomer).path("agent").path("userId").asText());
        assertEquals(agent.displayName(), frame(toCustomer).path("agent").path("displayName").asText());
        awaitFrame(agent, "conversation.assigned", id);
        Rec event = lifecycle.await("assigned event", event("assigned", id));
        assertEquals(agent.userId(), event.value().path("agentId").asText());
        assertEquals("ASSIGNED", conversationColumn(id, "state"));

        kafka.simple("accept", id, late);
        gw1.await("someone else's conversation is not visible", errorTo(late, "not_found", "conversation.accept"));
        assertEquals(agent.userId(), conversationColumn(id, "agent_id"));
        kafka.simple("close", id, agent);
        awaitFrame(customer, "conversation.closed", id);
    }

    @Test
    void transfersGoToAQueueAndToAnAgent() {
        TestUser customer = present(TestUser.customer());
        TestUser agent = present(TestUser.agent());
        TestUser colleague = present(TestUser.agent());
        TestUser supervisor = present(TestUser.supervisor());
        kafka.agentStatus(colleague, "away", null); // known and reachable, but gets nothing automatically
        awaitAgentStatus(colleague, "away");
        UUID id = kafka.start(customer, "support");
        kafka.simple("accept", id, agent);
        awaitFrame(customer, "conversation.assigned", id);

        kafka.send(kafka.command("transfer", id, customer).put("toQueue", "billing"));
        gw1.await("customers may not transfer", errorTo(customer, "forbidden", "conversation.transfer"));

        kafka.send(kafka.command("transfer", id, agent).put("toQueue", "billing"));
        Rec toCustomer = awaitFrame(customer, "conversation.transferred", id);
        assertEquals("billing", frame(toCustomer).path("queue").asText());
        assertTrue(frame(toCustomer).path("position").asInt() >= 1);
        awaitFrame(agent, "conversation.transferred", id);
        awaitFrame(customer, "conversation.queued", id);
        assertEquals("billing", conversationColumn(id, "queue"));
        assertEquals("QUEUED", conversationColumn(id, "state"));
        lifecycle.await("transferred to a queue", event("transferred", id).and(r -> r.value().path("agentId").isNull()));

        kafka.send(kafka.command("transfer", id, supervisor).put("toAgent", colleague.userId()));
        Rec toColleague = gw1.await("transfer to the colleague", frame("conversation.assigned", id).and(to(colleague)));
        assertEquals(colleague.userId(), frame(toColleague).path("agent").path("userId").asText());
        assertTrue(recipients(toColleague).contains(customer.userId()));
        assertEquals(colleague.userId(), conversationColumn(id, "agent_id"));

        kafka.send(kafka.command("transfer", id, colleague).put("toAgent", agent.userId()));
        gw1.await("an offline agent is not available", errorTo(colleague, "bad_request", "conversation.transfer"));
        kafka.agentStatus(agent, "away", null);
        awaitAgentStatus(agent, "away");
        kafka.send(kafka.command("transfer", id, colleague).put("toAgent", agent.userId()));
        Rec back = gw1.await("transfer between agents", frame("conversation.transferred", id).and(to(agent))
                .and(r -> agent.userId().equals(frame(r).path("agent").path("userId").asText())));
        assertTrue(recipients(back).containsAll(List.of(customer.userId(), colleague.userId())),
                "the customer and the agent who hands over are told too");
        lifecycle.await("transferred to an agent", event("transferred", id)
                .and(r -> agent.userId().equals(r.value().path("agentId").asText())));

        kafka.agentStatus(agent, "offline", null);
        kafka.agentStatus(colleague, "offline", null);
        kafka.simple("close", id, customer);
        awaitFrame(customer, "conversation.closed", id);
    }

    @Test
    void strangersCannotCloseOrTypeAndAClosedConversationStaysClosed() {
        TestUser customer = present(TestUser.customer());
        TestUser stranger = present(TestUser.customer());
        UUID id = kafka.start(customer, MANUAL_QUEUE);
        awaitFrame(customer, "conversation.queued", id);

        kafka.simple("close", id, stranger);
        gw1.await("a stranger does not learn it exists", errorTo(stranger, "not_found", "conversation.close"));
        kafka.simple("typing", id, stranger);
        gw1.await("nor by typing", errorTo(stranger, "not_found", "typing"));
        audit.await("the refusal is audited", r -> "conversation.close".equals(r.value().path("action").asText())
                && "DENIED".equals(r.value().path("outcome").asText()) && ("conversation:" + id).equals(r.key()));

        kafka.simple("close", id, customer);
        awaitFrame(customer, "conversation.closed", id);
        kafka.simple("close", id, customer);
        gw1.await("closing twice", errorTo(customer, "conversation_closed", "conversation.close"));
        assertEquals("CLOSED", conversationColumn(id, "state"));
    }

    @Test
    void idleConversationsAreClosed() {
        TestUser customer = present(TestUser.customer());
        UUID id = kafka.start(customer, MANUAL_QUEUE);
        awaitFrame(customer, "conversation.queued", id);
        update("UPDATE conversations SET last_activity_at = $2 WHERE id = $1", id, OffsetDateTime.now().minusHours(2));

        int closed = idleCloser.closeIdle(Duration.ofMinutes(30)).await().atMost(Duration.ofSeconds(30));

        assertTrue(closed >= 1);
        Rec frame = awaitFrame(customer, "conversation.closed", id);
        assertEquals(MANUAL_QUEUE, frame(frame).path("queue").asText());
        assertEquals("idle", lifecycle.await("closed event", event("closed", id)).value().path("reason").asText());
        assertEquals("CLOSED", conversationColumn(id, "state"));
    }

    @Test
    void concurrentIdleRunsCloseEachConversationOnce() {
        TestUser customer = present(TestUser.customer());
        UUID[] ids = new UUID[3];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = kafka.start(customer, MANUAL_QUEUE);
            awaitFrame(customer, "conversation.queued", ids[i]);
            update("UPDATE conversations SET last_activity_at = $2 WHERE id = $1", ids[i],
                    OffsetDateTime.now().minusHours(2));
        }

        // As if two instances ran the idle close at the same moment.
        var counts = io.smallrye.mutiny.Uni.join()
                .all(idleCloser.closeIdle(Duration.ofMinutes(30)), idleCloser.closeIdle(Duration.ofMinutes(30)))
                .andCollectFailures().await().atMost(Duration.ofSeconds(30));

        assertTrue(counts.get(0) + counts.get(1) >= ids.length);
        for (UUID id : ids) {
            lifecycle.await("closed", event("closed", id));
            assertEquals("CLOSED", conversationColumn(id, "state"));
        }
        // Every closed event is out once both runs are done; each conversation has exactly one.
        for (UUID id : ids) {
            assertEquals(1, lifecycle.matching(event("closed", id)).size(), "closed once");
            assertEquals(1, gw1.matching(frame("conversation.closed", id)).size(), "told once");
        }
    }

    @Test
    void activeConversationsAreNotIdle() {
        TestUser customer = present(TestUser.customer());
        UUID id = kafka.start(customer, MANUAL_QUEUE);
        awaitFrame(customer, "conversation.queued", id);

        idleCloser.closeIdle(Duration.ofMinutes(30)).await().atMost(Duration.ofSeconds(30));

        assertEquals("QUEUED", conversationColumn(id, "state"));
        kafka.simple("close", id, customer);
        awaitFrame(customer, "conversation.closed", id);
    }

    @Test
    void agentsSeeTheWaitingConversationsOfAQueue() {
        TestUser customer = present(TestUser.customer());
        UUID id = kafka.start(customer, "support");
        awaitFrame(customer, "conversation.queued", id);

        JsonPath body = given().header("Authorization", "Bearer " + Keycloak.token("agent1"))
                .get("/api/v1/queues/support/conversations").then().statusCode(200)
                .body("conversationId", hasItem(id.toString()))
                .body("find { it.conversationId == '" + id + "' }.waitingSeconds", greaterThanOrEqualTo(0))
                .body("find { it.conversationId == '" + id + "' }.subject", org.hamcrest.Matchers.equalTo("order 42"))
                .extract().jsonPath();
        List<Integer> positions = body.getList("position", Integer.class);
        for (int i = 0; i < positions.size(); i++) {
            assertEquals(i + 1, positions.get(i), "positions in queue order");
        }
        assertFalse(body.getString("find { it.conversationId == '" + id + "' }.queuedAt").isBlank());

        given().header("Authorization", "Bearer " + Keycloak.token("supervisor1"))
                .get("/api/v1/queues/support/conversations").then().statusCode(200);
        given().header("Authorization", "Bearer " + Keycloak.token("customer1"))
                .get("/api/v1/queues/support/conversations").then().statusCode(403);
        given().header("Authorization", "Bearer " + Keycloak.token("agent1"))
                .get("/api/v1/queues/no-such-queue/conversations").then().statusCode(404);
        given().get("/api/v1/queues/support/conversations").then().statusCode(401);
        kafka.simple("close", id, customer);
        awaitFrame(customer, "conversation.closed", id);
    }
}
