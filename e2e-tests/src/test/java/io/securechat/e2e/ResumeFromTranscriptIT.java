package io.securechat.e2e;

import static io.securechat.e2e.Platform.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.securechat.testsupport.ChatClient;
import io.securechat.testsupport.Keycloak;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A resuming socket gets its missed messages from transcript-service's history (issue 5: "the
 * gateway's resume uses it"): session-service's own copy of the conversation's messages is
 * deleted first, so only the transcript can supply them; the conversation then goes on with the
 * next seq.
 */
@Order(7)
class ResumeFromTranscriptIT {

    // Generous: right after ConversationAcrossNodesIT killed a session-service instance, the
    // consumer group may still be rebalancing (seen here: about 40 s), as a real client would wait.
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String GW = "wss://127.0.0.1:8443/ws/v1/chat";

    @Test
    void missedMessagesComeFromTheTranscript() throws Exception {
        String token = Keycloak.token("customer1");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String conversationId;
        try (ChatClient a = ChatClient.withToken(GW, token)) {
            a.await("session.welcome");
            String clientRef = "resume-" + run;
            a.send(Map.of("type", "conversation.start", "clientRef", clientRef, "queue", "billing"));
            conversationId = a.await("conversation.started", f -> clientRef.equals(f.path("clientRef").asText()), WAIT)
                    .get("conversationId").asText();
            for (int i = 1; i <= 5; i++) {
                String id = "r" + i + "-" + run;
                a.send(Map.of("type", "message.send", "clientMsgId", id, "conversationId", conversationId, "text", "resume " + i));
                a.await("message.ack", f -> id.equals(f.path("clientMsgId").asText()), WAIT);
            }
            String conv = conversationId;
            a.await("message", f -> conv.equals(f.path("conversationId").asText()) && f.path("seq").asLong() == 5, WAIT);
        }
        String conv = conversationId;
        await("the transcript has stored the 5 messages").atMost(WAIT).ignoreExceptions().until(() -> given()
                .header("Authorization", "Bearer " + token)
                .get("https://127.0.0.1:8443/api/v1/conversations/" + conv + "/messages")
                .then().statusCode(200).extract().jsonPath().getList("messages").size() == 5);
        // session-service's copy is gone: only the transcript can replay them now.
        psqlSession("DELETE FROM messages WHERE conversation_id = '" + UUID.fromString(conversationId) + "'");

        try (ChatClient b = ChatClient.withToken(GW, token)) {
            b.await("session.welcome");
            b.send(Map.of("type", "conversation.subscribe", "conversationId", conversationId, "afterSeq", 0));
            b.await("message", f -> conv.equals(f.path("conversationId").asText()) && f.path("seq").asLong() == 5, WAIT);
            String id = "r6-" + run;
            b.send(Map.of("type", "message.send", "clientMsgId", id, "conversationId", conversationId, "text", "resume 6"));
            b.await("message", f -> conv.equals(f.path("conversationId").asText()) && f.path("seq").asLong() == 6, WAIT);
            List<JsonNode> got = b.frames("message").stream().filter(f -> conv.equals(f.path("conversationId").asText())).toList();
            assertEquals(LongStream.rangeClosed(1, 6).boxed().toList(), got.stream().map(f -> f.get("seq").asLong()).toList(),
                    "every message once, in order");
            assertEquals("resume 3", got.get(2).get("text").asText());
            b.send(Map.of("type", "conversation.close", "conversationId", conversationId));
        }
    }

    private static void psqlSession(String sql) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql,
                "host=127.0.0.1 port=15432 dbname=chat_session user=chat_session sslmode=require")
                .redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "chat_session-local-only");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "psql: " + out);
    }
}
