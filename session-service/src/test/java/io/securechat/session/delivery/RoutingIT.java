package io.securechat.session.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.securechat.session.testing.LiveConversationTest;
import io.securechat.session.testing.LiveConversationsProfile;
import io.securechat.session.testing.TestUser;
import io.securechat.session.testing.TopicProbe.Rec;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Frames go only to the gateway nodes that hold a recipient, as presence in Redis says. */
@QuarkusTest
@TestProfile(LiveConversationsProfile.class)
class RoutingIT extends LiveConversationTest {

    @Test
    void eachNodeGetsTheFrameForTheRecipientsItHolds() {
        TestUser customer = present(TestUser.customer().onNewConnection("gw-2"));
        TestUser agent = present(TestUser.agent());
        UUID id = kafka.start(customer, "support");
        kafka.simple("accept", id, agent);
        awaitFrame(customer, "conversation.assigned", id);

        ObjectNode m = kafka.moderated(id, agent, "ALLOW", List.of());
        Predicate<Rec> theMessage = r -> "message".equals(frame(r).path("type").asText())
                && m.get("messageId").asText().equals(frame(r).path("messageId").asText());
        Rec onGw2 = gw2.await("customer's node", theMessage);
        Rec onGw1 = gw1.await("agent's node", theMessage);

        assertEquals(List.of(customer.userId()), recipients(onGw2));
        assertEquals(List.of(agent.userId()), recipients(onGw1));
        assertEquals(onGw1.value().path("deliveryId").asText(), onGw2.value().path("deliveryId").asText());
        assertEquals(id.toString(), onGw1.key());
        assertTrue(gw1.matching(frame("conversation.started", id)).isEmpty(), "the customer is not on gw-1");
        assertEquals(1, gw2.matching(frame("conversation.started", id)).size());
    }

    @Test
    void aRecipientWithoutSocketsGetsNothingUntilTheyResume() {
        TestUser customer = present(TestUser.customer());
        TestUser agent = TestUser.agent(); // no presence anywhere
        UUID id = kafka.start(customer, "support");
        kafka.simple("accept", id, agent);
        awaitFrame(customer, "conversation.assigned", id);

        ObjectNode m = kafka.moderated(id, customer, "ALLOW", List.of());
        Rec frame = gw1.await("customer's copy", r -> "message".equals(frame(r).path("type").asText())
                && m.get("messageId").asText().equals(frame(r).path("messageId").asText()));
        assertEquals(List.of(customer.userId()), recipients(frame));
        assertTrue(gw2.matching(frame("message", id)).isEmpty());
    }
}
