package io.securechat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.securechat.testsupport.ChatClient;
import io.securechat.testsupport.ConsumerGroups;
import io.securechat.testsupport.ForgedTokens;
import io.securechat.testsupport.Keycloak;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A client that lost the answer to its {@code conversation.start} in a network drop sends it
 * again after reconnecting, with the same clientRef: it gets the same conversation, never a
 * second one waiting in the queue with nobody behind it (found by the web-client review).
 */
@Order(5)
class RepeatedStartIT {

    // Generous: right after ConversationAcrossNodesIT killed a session-service instance, the
    // consumer group may still be rebalancing (seen here: about 40 s), as a real client would wait.
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String GW = "wss://127.0.0.1:8443/ws/v1/chat";

    @Test
    void aRepeatedStartGivesTheSameConversation() throws Exception {
        String token = Keycloak.token("customer1");
        String me = ForgedTokens.claimsOf(token).getSubject();
        String clientRef = "ref-" + UUID.randomUUID();
        String first;
        try (ChatClient c = ChatClient.withToken(GW, token)) {
            c.await("session.welcome");
            c.send(Map.of("type", "conversation.start", "clientRef", clientRef, "queue", "support"));
            try {
                first = c.await("conversation.started", f -> clientRef.equals(f.path("clientRef").asText()), WAIT)
                        .get("conversationId").asText();
            } catch (AssertionError e) {
                // Say what was stuck: the consumers between the gateway and the answer.
                throw new AssertionError(e.getMessage() + "; " + ConsumerGroups.describe("session-service")
                        + "; " + ConsumerGroups.describe("moderation-service"), e);
            }
        }
        try (ChatClient c = ChatClient.withToken(GW, token)) {
            c.await("session.welcome");
            c.send(Map.of("type", "conversation.start", "clientRef", clientRef, "queue", "support"));
            JsonNode again = c.await("conversation.started", f -> clientRef.equals(f.path("clientRef").asText()), WAIT);
            assertEquals(first, again.get("conversationId").asText(), "the same conversation, not a new one");
            // A new clientRef is a new conversation.
            String otherRef = "ref-" + UUID.randomUUID();
            c.send(Map.of("type", "conversation.start", "clientRef", otherRef, "queue", "support"));
            JsonNode other = c.await("conversation.started", f -> otherRef.equals(f.path("clientRef").asText()), WAIT);
            assertNotEquals(first, other.get("conversationId").asText());
            for (String id : new String[] {first, other.get("conversationId").asText()}) {
                c.send(Map.of("type", "conversation.close", "conversationId", id));
            }
        }
        long copies = Platform.given().header("Authorization", "Bearer " + token)
                .get("https://127.0.0.1:8443/api/v1/customers/" + me + "/conversations?limit=100")
                .then().statusCode(200).extract().jsonPath().getList("conversationId").stream()
                .filter(first::equals).count();
        assertEquals(1, copies, "exactly one conversation for the clientRef");
    }
}
