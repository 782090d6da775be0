package io.securechat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.securechat.testsupport.ChatClient;
import io.securechat.testsupport.ConsumerGroups;
import io.securechat.testsupport.Keycloak;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A customer and an agent on different gateway nodes, with two session-service instances:
 * they talk; the customer's gateway node and one session-service instance are SIGKILLed and
 * the customer resumes on the other node; the Kafka broker restarts mid-conversation. Every
 * acked message arrives, once, in order.
 */
@Order(4)
class ConversationAcrossNodesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GW1 = "wss://127.0.0.1:8443/ws/v1/chat";
    private static final String GW2 = "wss://127.0.0.1:8444/ws/v1/chat";
    private static ServiceProcess gateway2;
    private static ServiceProcess session2;

    @BeforeAll
    static void secondNodes() throws Exception {
        gateway2 = ServiceProcess.gateway("gw-2", 8444);
        session2 = ServiceProcess.session("session-2", 8091);
        gateway2.awaitReady(Duration.ofSeconds(90));
        session2.awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopSecondNodes() throws Exception {
        if (gateway2 != null) {
            gateway2.close();
        }
        if (session2 != null) {
            session2.close();
        }
    }

    private static List<JsonNode> messages(ChatClient c, String conversationId) {
        return c.frames("message").stream().filter(f -> conversationId.equals(f.path("conversationId").asText())).toList();
    }

    private static long lastSeq(ChatClient c, String conversationId) {
        return messages(c, conversationId).stream().mapToLong(f -> f.get("seq").asLong()).max().orElse(0);
    }

    private static void send(ChatClient c, String conversationId, String clientMsgId, String text) {
        c.send(Map.of("type", "message.send", "clientMsgId", clientMsgId, "conversationId", conversationId, "text", text));
    }

    private static void awaitAck(ChatClient c, String clientMsgId) {
        c.await("message.ack", f -> clientMsgId.equals(f.path("clientMsgId").asText()), WAIT);
    }

    private static void assertOnceInOrder(List<JsonNode> frames, String who) {
        List<Long> seqs = frames.stream().map(f -> f.get("seq").asLong()).toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(seqs.get(i) > seqs.get(i - 1), who + " got seqs out of order or twice: " + seqs);
        }
    }

    @Test
    void conversationSurvivesANodeKillAndABrokerRestart() throws Exception {
        // Only agent1 takes conversations, so the assignment is predictable.
        try (ChatClient other = ChatClient.withToken(GW1, Keycloak.token("agent2"))) {
            other.await("session.welcome");
            other.send(Map.of("type", "agent.status", "status", "offline"));
            other.send(Map.of("type", "ping"));
            other.await("pong");
        }
        ChatClient agent = ChatClient.withToken(GW1, Keycloak.token("agent1"));
        ChatClient customer = ChatClient.withToken(GW2, Keycloak.token("customer1"));
        ChatClient resumed = null;
        String run = UUID.randomUUID().toString().substring(0, 8);
        try {
            agent.await("session.welcome");
            // Room for every conversation still waiting from earlier runs: FIFO serves them first.
            agent.send(Map.of("type", "agent.status", "status", "online", "capacity", 50));
            customer.await("session.welcome");
            String clientRef = "ref-" + run;
            customer.send(Map.of("type", "conversation.start", "clientRef", clientRef, "queue", "support"));
            String conversationId = customer.await("conversation.started",
                    f -> clientRef.equals(f.path("clientRef").asText()), WAIT).get("conversationId").asText();
            customer.await("conversation.assigned", f -> conversationId.equals(f.path("conversationId").asText()), WAIT);
            agent.await("conversation.assigned", f -> conversationId.equals(f.path("conversationId").asText()), WAIT);

            // They talk across the two nodes.
            Set<String> texts = new LinkedHashSet<>();
            for (int i = 1; i <= 3; i++) {
                String c = "c" + i + "-" + run;
                String a = "a" + i + "-" + run;
                send(customer, conversationId, c, c);
                awaitAck(customer, c);
                send(agent, conversationId, a, a);
                awaitAck(agent, a);
                texts.add(c);
                texts.add(a);
            }
            agent.await("message", f -> conversationId.equals(f.path("conversationId").asText())
                    && messages(agent, conversationId).size() >= 6, WAIT);
            customer.await("message", f -> messages(customer, conversationId).size() >= 6, WAIT);

            // The customer's message is acked, then their node dies without a goodbye.
            String last = "c4-" + run;
            send(customer, conversationId, last, last);
            awaitAck(customer, last);
            texts.add(last);
            gateway2.kill();
            customer.awaitClose(WAIT);
            // The second session-service dies too: the first takes its partitions over, with the
            // conversation's state and seq from PostgreSQL.
            session2.kill();
            long seenBeforeKill = lastSeq(customer, conversationId);

            // The agent keeps writing while the customer is away.
            for (int i = 4; i <= 6; i++) {
                String a = "a" + i + "-" + run;
                send(agent, conversationId, a, a);
                awaitAck(agent, a);
                texts.add(a);
            }

            // The customer comes back on the other node and resumes after what they saw.
            resumed = ChatClient.withToken(GW1, Keycloak.token("customer1"));
            resumed.await("session.welcome");
            resumed.send(Map.of("type", "conversation.subscribe", "conversationId", conversationId, "afterSeq", seenBeforeKill));
            ChatClient r = resumed;
            r.await("message", f -> texts.size() == seenBeforeKill + messages(r, conversationId).size(), Duration.ofSeconds(60));

            // The broker restarts mid-conversation; a message sent meanwhile is acked after it.
            DependencyOutageIT.stack("stop", "kafka");
            String during = "c5-" + run;
            send(resumed, conversationId, during, during);
            Thread.sleep(2000);
            assertTrue(resumed.frames("message.ack").stream().noneMatch(f -> during.equals(f.path("clientMsgId").asText())),
                    "no ack while the broker is down: an ack promises the message is durable");
            DependencyOutageIT.stack("start", "kafka");
            awaitAck(resumed, during);
            texts.add(during);
            String after = "a7-" + run;
            send(agent, conversationId, after, after);
            awaitAck(agent, after);
            texts.add(after);

            int total = texts.size();
            agent.await("message", f -> messages(agent, conversationId).size() >= total, Duration.ofSeconds(60));
            resumed.await("message", f -> seenBeforeKill + messages(r, conversationId).size() >= total, Duration.ofSeconds(60));

            // Every acked message once, in order, on each side; seq gap-free 1..n.
            List<JsonNode> agentSaw = messages(agent, conversationId);
            assertOnceInOrder(agentSaw, "agent");
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(),
                    agentSaw.stream().map(f -> f.get("seq").asLong()).toList(), "agent saw every seq once");
            assertEquals(texts, new LinkedHashSet<>(agentSaw.stream().map(f -> f.get("text").asText()).toList()));

            List<JsonNode> customerSaw = new ArrayList<>(messages(customer, conversationId));
            customerSaw.addAll(messages(resumed, conversationId));
            assertOnceInOrder(messages(customer, conversationId), "customer before the kill");
            assertOnceInOrder(messages(resumed, conversationId), "customer after resuming");
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(),
                    customerSaw.stream().map(f -> f.get("seq").asLong()).toList(), "customer saw every seq once");

            agent.send(Map.of("type", "conversation.close", "conversationId", conversationId));
            resumed.await("conversation.closed", f -> conversationId.equals(f.path("conversationId").asText()), WAIT);

            // The platform has recovered, not just this conversation: the surviving session-service
            // owns every partition and has consumed everything, and so has moderation-service.
            for (String group : List.of("session-service", "moderation-service")) {
                ConsumerGroups.State s = ConsumerGroups.awaitCaughtUp(group, Duration.ofSeconds(120));
                assertTrue(s.caughtUp(), "consumer group recovered after the kills and the broker restart: " + s);
            }
        } finally {
            if (!agent.isClosed()) {
                agent.send(Map.of("type", "agent.status", "status", "offline"));
            }
            agent.close();
            customer.close();
            if (resumed != null) {
                resumed.close();
            }
        }
    }
}
