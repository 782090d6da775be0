package io.securechat.e2e;

import static io.securechat.e2e.Platform.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.testsupport.ChatClient;
import io.securechat.testsupport.Keycloak;
import io.securechat.testsupport.LocalStack;
import io.restassured.path.json.JsonPath;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * transcript-service is SIGKILLed while a customer's messages flow, and started again the way
 * an operator would ({@code ./chat up}): every acknowledged message ends up stored exactly once,
 * in order, readable through the gateway's history API (issue 5).
 */
@Order(6)
class TranscriptCrashIT {

    private static final String GW = "wss://127.0.0.1:8443/ws/v1/chat";
    private static final int MESSAGES = 40;

    @Test
    void killedWhileMessagesFlowThenEveryMessageIsStoredOnce() throws Exception {
        String token = Keycloak.token("customer1");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<Integer, String> sent = new LinkedHashMap<>();
        try (ChatClient a = ChatClient.withToken(GW, token); ChatClient b = ChatClient.withToken(GW, token)) {
            a.await("session.welcome");
            b.await("session.welcome");
            String clientRef = "crash-" + run;
            a.send(Map.of("type", "conversation.start", "clientRef", clientRef, "queue", "billing"));
            String conversationId = a.await("conversation.started", f -> clientRef.equals(f.path("clientRef").asText()),
                    Duration.ofSeconds(30)).get("conversationId").asText();
            long transcriptPid = Long.parseLong(Files.readString(LocalStack.runDir().resolve("pids/transcript.pid")).strip());
            boolean killed = false;
            for (int i = 1; i <= MESSAGES; i++) {
                // Two sockets at two messages a second each stay under the flood limits.
                ChatClient c = i % 2 == 0 ? a : b;
                String id = "m" + i + "-" + run;
                String text = "crash test " + run + " number " + i;
                c.send(Map.of("type", "message.send", "clientMsgId", id, "conversationId", conversationId, "text", text));
                c.await("message.ack", f -> id.equals(f.path("clientMsgId").asText()), Duration.ofSeconds(30));
                sent.put(i, text);
                if (i == 12) {
                    ProcessHandle.of(transcriptPid).ifPresent(ProcessHandle::destroyForcibly);
                    killed = true;
                }
                if (i == 20) {
                    startAgain(); // while the messages keep coming
                }
                Thread.sleep(250);
            }
            assertTrue(killed, "transcript-service was running and was killed");
            assertStoredOnce(conversationId, token, sent);
            a.send(Map.of("type", "conversation.close", "conversationId", conversationId));
        }
    }

    private static void startAgain() throws Exception {
        Process p = new ProcessBuilder("bash", LocalStack.repoDir().resolve("chat").toString(), "up")
                .directory(LocalStack.repoDir().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(LocalStack.runDir().resolve("logs/e2e-chat-up.log").toString())))
                .start();
        assertEquals(0, p.waitFor(), "./chat up failed; see .run/logs/e2e-chat-up.log");
    }

    /** The history holds seq 1..n exactly once, in order, each text once, none unreadable. */
    private static void assertStoredOnce(String conversationId, String token, Map<Integer, String> sent) {
        await("all " + MESSAGES + " messages stored").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> history(conversationId, token).getList("messages").size() == MESSAGES);
        JsonPath h = history(conversationId, token);
        List<Integer> seqs = h.getList("messages.seq", Integer.class);
        List<String> texts = h.getList("messages.text", String.class);
        assertEquals(MESSAGES, seqs.size());
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i), "gap-free, in order, no repeat: " + seqs);
        }
        assertEquals(new ArrayList<>(sent.values()), texts, "every acknowledged message once, in the order sent");
        assertFalse(h.getList("messages.integrityError").contains(Boolean.TRUE), "every message decrypts");
    }

    private static JsonPath history(String conversationId, String token) {
        return given().header("Authorization", "Bearer " + token)
                .get("https://127.0.0.1:8443/api/v1/conversations/" + conversationId + "/messages?afterSeq=0&limit=200")
                .then().statusCode(200).extract().jsonPath();
    }
}
