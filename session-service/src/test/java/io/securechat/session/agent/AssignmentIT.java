package io.securechat.session.agent;

import static io.securechat.session.testing.LiveConversationsProfile.AUTO_QUEUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.securechat.session.agent.service.AgentPresenceWatcher;
import io.securechat.session.agent.service.Assigner;
import io.smallrye.mutiny.Uni;
import io.securechat.session.testing.LiveConversationTest;
import io.securechat.session.testing.LiveConversationsProfile;
import io.securechat.session.testing.TestUser;
import io.securechat.session.testing.TopicProbe.Rec;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Automatic assignment, agent status and the grace period after an agent's last socket closed. */
@QuarkusTest
@TestProfile(LiveConversationsProfile.class)
class AssignmentIT extends LiveConversationTest {

    @Inject
    AgentPresenceWatcher watcher;

    @Inject
    AgentConfig agentConfig;

    @Inject
    Assigner assigner;

    private String assignedAgent(TestUser customer, UUID id) {
        return frame(awaitFrame(customer, "conversation.assigned", id)).path("agent").path("userId").asText();
    }

    @Test
    void aWaitingConversationGoesToTheLeastBusyAgentThenToTheOneIdleLongest() {
        TestUser customer = present(TestUser.customer());
        TestUser small = online(TestUser.agent(), 2);

        UUID c1 = kafka.start(customer, AUTO_QUEUE);
        Rec queued = awaitFrame(customer, "conversation.queued", c1);
        assertEquals(1, frame(queued).path("position").asInt(), "waits first in line");
        assertEquals(small.userId(), assignedAgent(customer, c1), "the only agent online");
        awaitFrame(small, "conversation.assigned", c1);

        TestUser large = online(TestUser.agent(), 4);
        UUID c2 = kafka.start(customer, AUTO_QUEUE);
        assertEquals(large.userId(), assignedAgent(customer, c2), "0/4 is less busy than 1/2");
        UUID c3 = kafka.start(customer, AUTO_QUEUE);
        assertEquals(large.userId(), assignedAgent(customer, c3), "1/4 is less busy than 1/2");
        UUID c4 = kafka.start(customer, AUTO_QUEUE);
        assertEquals(small.userId(), assignedAgent(customer, c4), "both at 1/2: the one idle longest");
        UUID c5 = kafka.start(customer, AUTO_QUEUE);
        assertEquals(large.userId(), assignedAgent(customer, c5), "the small agent is full (2/2)");

        Rec event = lifecycle.await("assigned event", event("assigned", c5));
        assertEquals("auto", event.value().path("reason").asText());
        assertTrue(event.value().path("actor").isNull(), "the service assigned, not a person");
        for (UUID id : new UUID[] {c1, c2, c3, c4, c5}) {
            kafka.simple("close", id, customer);
        }
    }

    @Test
    void anAgentWhoseLastSocketClosedKeepsTheConversationsUntilTheGracePeriodEnds() {
        TestUser customer = present(TestUser.customer());
        TestUser agent = online(TestUser.agent(), 3);
        UUID id = kafka.start(customer, AUTO_QUEUE);
        assertEquals(agent.userId(), assignedAgent(customer, id));

        gone(agent);
        kafka.send(kafka.command("connection.closed", null, agent).put("remainingSockets", 0));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> agentRow(agent.userId(), "absent_since") != null);
        assertEquals("online", agentRow(agent.userId(), "status"), "a closed socket is not going offline");
        watcher.check(agentConfig.offlineGrace()).await().atMost(Duration.ofSeconds(30));
        assertEquals("online", agentRow(agent.userId(), "status"), "still within the grace period");
        assertEquals("ASSIGNED", conversationColumn(id, "state"));

        // The grace period ends without a reconnect.
        update("UPDATE agents SET absent_since = $2 WHERE user_id = $1", agent.userId(),
                OffsetDateTime.now().minus(agentConfig.offlineGrace()).minusSeconds(5));
        watcher.check(agentConfig.offlineGrace()).await().atMost(Duration.ofSeconds(30));

        assertEquals("offline", agentRow(agent.userId(), "status"));
        Rec requeued = awaitFrame(customer, "conversation.queued", id);
        assertTrue(frame(requeued).path("position").asInt() >= 1);
        assertEquals("QUEUED", conversationColumn(id, "state"));
        assertEquals("agent_offline", lifecycle.await("queued again", event("queued", id)
                .and(r -> "agent_offline".equals(r.value().path("reason").asText()))).value().path("reason").asText());
        kafka.simple("close", id, customer);
        awaitFrame(customer, "conversation.closed", id);
    }

    @Test
    void anAgentWhoReconnectsWithinTheGracePeriodStaysOnline() {
        TestUser agent = online(TestUser.agent(), 3);
        gone(agent);
        kafka.send(kafka.command("connection.closed", null, agent).put("remainingSockets", 0));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> agentRow(agent.userId(), "absent_since") != null);

        present(agent, "gw-2"); // back, on another node
        watcher.check(agentConfig.offlineGrace()).await().atMost(Duration.ofSeconds(30));

        assertEquals(null, agentRow(agent.userId(), "absent_since"));
        assertEquals("online", agentRow(agent.userId(), "status"));
    }

    @Test
    void goingOfflineGivesTheConversationsBackAtTheirPlace() {
        TestUser customer = present(TestUser.customer());
        TestUser agent = online(TestUser.agent(), 1);
        UUID id = kafka.start(customer, AUTO_QUEUE);
        assertEquals(agent.userId(), assignedAgent(customer, id));

        kafka.agentStatus(agent, "offline", null);

        Rec toAgent = gw1.await("the agent loses it", frame("conversation.transferred", id).and(to(agent)));
        assertEquals(AUTO_QUEUE, frame(toAgent).path("queue").asText());
        assertNotNull(frame(awaitFrame(customer, "conversation.queued", id)).path("position"));
        assertEquals("QUEUED", conversationColumn(id, "state"));
        assertEquals(null, conversationColumn(id, "agent_id"));

        TestUser next = online(TestUser.agent(), 1);
        Rec reassigned = gw1.await("assigned again", frame("conversation.assigned", id).and(to(next)));
        assertEquals(next.userId(), frame(reassigned).path("agent").path("userId").asText());
        kafka.simple("close", id, customer);
        awaitFrame(customer, "conversation.closed", id);
    }

    @Test
    void concurrentAssignmentRunsNeverExceedCapacityNorAssignTwice() {
        TestUser customer = present(TestUser.customer());
        UUID[] waiting = new UUID[3];
        for (int i = 0; i < waiting.length; i++) {
            waiting[i] = kafka.start(customer, AUTO_QUEUE);
            awaitFrame(customer, "conversation.queued", waiting[i]);
        }
        TestUser agent = present(TestUser.agent());
        kafka.agentStatus(agent, "online", 2);
        awaitAgentStatus(agent, "online");

        // As if three instances ran their assignment job at the same moment (besides the triggered run).
        Uni.join().all(assigner.assignWaiting(10), assigner.assignWaiting(10), assigner.assignWaiting(10))
                .andCollectFailures().await().atMost(Duration.ofSeconds(30));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                row("SELECT count(*) AS n FROM conversations WHERE agent_id = $1 AND state = 'ASSIGNED'",
                        agent.userId()).getLong("n") == 2);
        long stillWaiting = java.util.Arrays.stream(waiting).filter(id -> "QUEUED".equals(conversationColumn(id, "state")))
                .count();
        assertEquals(1, stillWaiting, "capacity 2: the third waits");
        for (UUID id : waiting) {
            assertTrue(lifecycle.matching(event("assigned", id)).size() <= 1, "never assigned twice");
        }
        kafka.agentStatus(agent, "offline", null);
        awaitAgentStatus(agent, "offline");
        for (UUID id : waiting) {
            kafka.simple("close", id, customer);
        }
    }

    @Test
    void onlyAgentsHaveAStatusAndCapacityIsBounded() {
        TestUser customer = present(TestUser.customer());
        kafka.agentStatus(customer, "online", null);
        gw1.await("customers have no status", errorTo(customer, "forbidden", "agent.status"));

        TestUser agent = present(TestUser.agent());
        kafka.agentStatus(agent, "online", 500);
        gw1.await("capacity out of range", errorTo(agent, "bad_request", "agent.status"));
        assertEquals(null, agentRow(agent.userId(), "status"));
        assertEquals(null, agentRow(customer.userId(), "status"));
    }
}
