package io.securechat.session.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Sequencing of moderated messages, rejections, replays after a subscribe, typing and read. */
@QuarkusTest
@TestProfile(LiveConversationsProfile.class)
class SequencingIT extends LiveConversationTest {

    private TestUser customer;
    private TestUser agent;

    /** A conversation in a manual queue, accepted by a fresh agent. */
    private UUID conversation() {
        customer = present(TestUser.customer());
        agent = present(TestUser.agent());
        UUID id = kafka.start(customer, "support");
        kafka.simple("accept", id, agent);
        awaitFrame(customer, "conversation.assigned", id);
        return id;
    }

    private static Predicate<Rec> messageId(ObjectNode m) {
        return r -> m.get("messageId").asText().equals(r.value().path("messageId").asText());
    }

    private static Predicate<Rec> messageFrame(ObjectNode m) {
        return r -> "message".equals(frame(r).path("type").asText())
                && m.get("messageId").asText().equals(frame(r).path("messageId").asText());
    }

    private long seqOf(ObjectNode m) {
        return messages.await("sequenced " + m.get("clientMsgId").asText(), messageId(m)).value().path("seq").asLong();
    }

    @Test
    void acceptedMessagesGetGapFreeSeqsAndARedeliveryKeepsItsSeq() {
        UUID id = conversation();
        ObjectNode m1 = kafka.moderated(id, customer, "ALLOW", List.of());
        ObjectNode m2 = kafka.moderated(id, agent, "REDACT", List.of());
        ObjectNode m3 = kafka.moderated(id, customer, "ALLOW", List.of());

        assertEquals(1, seqOf(m1));
        assertEquals(2, seqOf(m2));
        assertEquals(3, seqOf(m3));

        Rec event = messages.await("m2", messageId(m2));
        assertEquals(id.toString(), event.key());
        assertEquals("agent", event.value().path("sender").path("role").asText());
        assertTrue(event.value().path("sender").path("verifiedAgent").asBoolean(), "the server vouches for agents");
        assertFalse(messages.await("m1", messageId(m1)).value().path("sender").path("verifiedAgent").asBoolean());
        assertEquals(m1.get("text").asText(), messages.await("m1", messageId(m1)).value().path("text").asText());

        Rec frame = gw1.await("m1 delivered", messageFrame(m1));
        assertTrue(recipients(frame).containsAll(List.of(customer.userId(), agent.userId())));
        assertEquals(1, frame(frame).path("seq").asLong());
        assertTrue(frame(frame).path("attachments").isArray());

        kafka.redeliver(m2);
        ObjectNode m4 = kafka.moderated(id, customer, "ALLOW", List.of());
        assertEquals(4, seqOf(m4), "the redelivered record took no seq");
        // Records of one conversation are handled in order: once m4 is out, the redelivery was handled.
        assertEquals(1, messages.matching(messageId(m2)).size(), "m2 is published once");
        assertEquals("4", conversationColumn(id, "last_seq"));
        assertEquals(4L, row("SELECT count(*) AS n FROM messages WHERE conversation_id = $1", id).getLong("n"));
        audit.await("accepted, audited without text", r -> "message.accepted".equals(r.value().path("action").asText())
                && r.key().equals("message:" + m1.get("messageId").asText())
                && !r.value().toString().contains(m1.get("text").asText()));
    }

    @Test
    void aBlockedMessageIsRejectedToTheSendingConnectionOnly() {
        UUID id = conversation();
        TestUser otherTab = customer.onNewConnection("gw-1");
        ObjectNode blocked = kafka.moderated(id, customer, "BLOCK", List.of("phishing", "blocked_content"));
        ObjectNode after = kafka.moderated(id, customer, "ALLOW", List.of());

        Rec rejected = gw1.await("rejection", r -> "message.rejected".equals(frame(r).path("type").asText())
                && blocked.get("clientMsgId").asText().equals(frame(r).path("clientMsgId").asText()));
        assertEquals("phishing", frame(rejected).path("code").asText());
        assertFalse(frame(rejected).path("reason").asText().isBlank());
        assertEquals(customer.connectionId(), rejected.value().path("connectionId").asText());
        assertEquals(List.of(customer.userId()), recipients(rejected));
        assertFalse(customer.connectionId().equals(otherTab.connectionId()));

        assertEquals(1, seqOf(after), "a blocked message takes no seq");
        assertTrue(messages.matching(messageId(blocked)).isEmpty());
        assertTrue(gw1.matching(messageFrame(blocked)).isEmpty(), "nobody gets the blocked message");
        assertEquals(0L, row("SELECT count(*) AS n FROM messages WHERE message_id = $1",
                UUID.fromString(blocked.get("messageId").asText())).getLong("n"));
        Rec audited = audit.await("rejection audited", r -> "message.rejected".equals(r.value().path("action").asText())
                && r.key().equals("message:" + blocked.get("messageId").asText()));
        assertEquals("phishing", audited.value().path("details").path("reasons").get(0).asText());
    }

    @Test
    void aNonParticipantIsForbiddenAndAClosedConversationTakesNoMessages() {
        UUID id = conversation();
        TestUser stranger = present(TestUser.customer());
        ObjectNode intruding = kafka.moderated(id, stranger, "ALLOW", List.of());
        Rec forbidden = gw1.await("forbidden", r -> "message.rejected".equals(frame(r).path("type").asText())
                && intruding.get("clientMsgId").asText().equals(frame(r).path("clientMsgId").asText()));
        assertEquals("forbidden", frame(forbidden).path("code").asText());
        assertEquals(stranger.connectionId(), forbidden.value().path("connectionId").asText());

        kafka.simple("close", id, agent);
        awaitFrame(customer, "conversation.closed", id);
        ObjectNode late = kafka.moderated(id, customer, "ALLOW", List.of());
        Rec closed = gw1.await("closed", r -> "message.rejected".equals(frame(r).path("type").asText())
                && late.get("clientMsgId").asText().equals(frame(r).path("clientMsgId").asText()));
        assertEquals("conversation_closed", frame(closed).path("code").asText());
        assertEquals("0", conversationColumn(id, "last_seq"));
        assertTrue(messages.matching(messageId(intruding)).isEmpty() && messages.matching(messageId(late)).isEmpty());
    }

    @Test
    void aSubscribeWithAfterSeqReplaysTheRestInOrderToThatConnectionBeforeLaterMessages() {
        UUID id = conversation();
        ObjectNode[] sent = new ObjectNode[4];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = kafka.moderated(id, i % 2 == 0 ? customer : agent, "ALLOW", List.of());
        }
        assertEquals(4, seqOf(sent[3]));

        TestUser reconnected = customer.onNewConnection("gw-1");
        kafka.send(kafka.command("subscribe", id, reconnected).put("afterSeq", 1));
        ObjectNode live = kafka.moderated(id, agent, "ALLOW", List.of());

        Predicate<Rec> toThatConnection = r -> "message".equals(frame(r).path("type").asText())
                && id.toString().equals(frame(r).path("conversationId").asText())
                && reconnected.connectionId().equals(r.value().path("connectionId").asText());
        List<Rec> replay = gw1.await("replay", 3, toThatConnection);
        assertEquals(List.of(2L, 3L, 4L), replay.stream().map(r -> frame(r).path("seq").asLong()).toList());
        replay.forEach(r -> assertEquals(List.of(customer.userId()), recipients(r)));
        Rec liveFrame = gw1.await("live message", messageFrame(live));
        assertEquals(5, frame(liveFrame).path("seq").asLong());
        // Same key, same partition: offsets give the order the gateway reads them in.
        assertEquals(replay.get(0).partition(), liveFrame.partition());
        assertTrue(replay.get(2).offset() < liveFrame.offset(), "the replay comes before the later live message");
        assertTrue(replay.get(0).offset() < replay.get(1).offset() && replay.get(1).offset() < replay.get(2).offset());
        Rec state = gw1.await("the state after the replay", frame("conversation.assigned", id).and(toConnection(reconnected)));
        assertEquals(agent.userId(), frame(state).path("agent").path("userId").asText());
    }

    @Test
    void aWaitingCustomerWhoResubscribesLearnsTheirPosition() {
        TestUser waiting = present(TestUser.customer());
        UUID id = kafka.start(waiting, "support");
        int position = frame(awaitFrame(waiting, "conversation.queued", id)).path("position").asInt();
        TestUser reconnected = waiting.onNewConnection("gw-1");

        kafka.send(kafka.command("subscribe", id, reconnected).put("afterSeq", 0));

        Rec state = gw1.await("position", frame("conversation.queued", id).and(toConnection(reconnected)));
        assertTrue(frame(state).path("position").asInt() >= 1 && frame(state).path("position").asInt() <= position);
        kafka.simple("close", id, waiting);
    }

    @Test
    void theMetersCountWhatHappened() {
        UUID id = conversation();
        ObjectNode allowed = kafka.moderated(id, customer, "ALLOW", List.of());
        ObjectNode blocked = kafka.moderated(id, customer, "BLOCK", List.of("malware"));
        seqOf(allowed);
        gw1.await("rejection", r -> "message.rejected".equals(frame(r).path("type").asText())
                && blocked.get("clientMsgId").asText().equals(frame(r).path("clientMsgId").asText()));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("chat_messages_sequenced_total{verdict=\"ALLOW\"}"), "sequenced");
            assertTrue(metrics.contains("chat_messages_rejected_total{code=\"malware\"}"), "rejected by code");
            assertTrue(metrics.contains("chat_deliveries_total{frame=\"message\"}"), "deliveries");
            assertTrue(metrics.contains("chat_queue_wait_seconds_count{queue=\"support\"}"), "queue wait");
            assertTrue(metrics.contains("chat_conversations{state=\"ASSIGNED\"}"), "by state");
            assertFalse(metrics.contains(customer.userId()), "no user ids in tags");
        });
    }

    @Test
    void supervisorsSubscribeToJoinAndStrangersCannot() {
        UUID id = conversation();
        kafka.moderated(id, customer, "ALLOW", List.of());
        TestUser supervisor = present(TestUser.supervisor());
        TestUser stranger = present(TestUser.customer());

        kafka.send(kafka.command("subscribe", id, stranger).put("afterSeq", 0));
        gw1.await("strangers", errorTo(stranger, "not_found", "conversation.subscribe"));

        kafka.send(kafka.command("subscribe", id, supervisor).put("afterSeq", 0));
        Rec history = gw1.await("history for the supervisor", r -> "message".equals(frame(r).path("type").asText())
                && id.toString().equals(frame(r).path("conversationId").asText()) && toConnection(supervisor).test(r));
        assertEquals(1, frame(history).path("seq").asLong());
        ObjectNode fromSupervisor = kafka.moderated(id, supervisor, "ALLOW", List.of());
        Rec frame = gw1.await("the supervisor's message", messageFrame(fromSupervisor));
        assertEquals("supervisor", frame(frame).path("sender").path("role").asText());
        assertTrue(frame(frame).path("sender").path("verifiedAgent").asBoolean());
        assertTrue(recipients(frame).containsAll(List.of(customer.userId(), agent.userId(), supervisor.userId())));
    }

    @Test
    void typingAndReadReachTheOtherParticipantsAndAreNoMessages() {
        UUID id = conversation();
        ObjectNode first = kafka.moderated(id, agent, "ALLOW", List.of());
        assertEquals(1, seqOf(first));

        kafka.simple("typing", id, customer);
        Rec typing = gw1.await("typing", frame("typing", id));
        assertEquals(List.of(agent.userId()), recipients(typing), "not back to the one typing");
        assertEquals(customer.userId(), frame(typing).path("userId").asText());

        kafka.send(kafka.command("read", id, customer).put("seq", 1));
        Rec read = gw1.await("read", frame("read", id));
        assertEquals(List.of(agent.userId()), recipients(read));
        assertEquals(1, frame(read).path("seq").asLong());

        ObjectNode next = kafka.moderated(id, agent, "ALLOW", List.of());
        assertEquals(2, seqOf(next), "typing and read took no seq");
        assertEquals(2, messages.matching(r -> id.toString().equals(r.value().path("conversationId").asText())).size());
    }
}
