package io.securechat.session.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.securechat.session.delivery.model.Frames;
import io.securechat.session.messaging.event.ActorRecord;
import io.securechat.session.messaging.event.AuditEvent;
import io.securechat.session.messaging.event.CommandRecord;
import io.securechat.session.messaging.event.ConversationEvent;
import io.securechat.session.messaging.event.DeliveryRecord;
import io.securechat.session.messaging.event.MessageEvent;
import io.securechat.session.messaging.event.ModeratedRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The JSON of every topic this service reads or writes, against docs/events.md, both ways. */
class EventContractTest {

    /** Configured as Quarkus configures its ObjectMapper (ISO dates, unknown fields ignored). */
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final UUID CONV = UUID.fromString("0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
    private static final UUID MSG = UUID.fromString("0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2c");
    private static final Instant AT = Instant.parse("2026-11-25T08:00:00.123Z");

    /** The JSON as it goes on the wire, read back. */
    private static JsonNode written(Object value) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(value));
    }

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    @Test
    void commandsAreReadWithTheirTypeFields() throws Exception {
        String json = "{'v': 1, 'commandId': '0193a1b2-c3d4-7e5f-8a6b-000000000001', 'type': 'transfer',"
                + " 'conversationId': '" + CONV + "', 'actor': {'userId': 'f3c1', 'roles': ['agent'], 'displayName': 'Alex',"
                + " 'guest': false, 'fingerprint': null}, 'gatewayNode': 'gw-1', 'connectionId': 'gw-1:7f2e',"
                + " 'issuedAt': '2026-11-25T08:00:00.123Z', 'toQueue': 'billing', 'toAgent': null, 'somethingNew': 3}";
        CommandRecord c = JSON.readValue(json.replace('\'', '"'), CommandRecord.class);
        assertEquals("transfer", c.type());
        assertEquals(CONV, c.conversationId());
        assertEquals("f3c1", c.actor().userId());
        assertTrue(c.actor().isAgent());
        assertEquals("billing", c.toQueue());
        assertNull(c.toAgent());
        assertEquals(AT, c.issuedAt());
        assertEquals("conversation.transfer", c.frameType());

        CommandRecord status = JSON.readValue(("{'v': 1, 'commandId': '0193a1b2-c3d4-7e5f-8a6b-000000000002',"
                + " 'type': 'agent.status', 'conversationId': null, 'actor': {'userId': 'a'}, 'status': 'online',"
                + " 'capacity': 4, 'afterSeq': null}").replace('\'', '"'), CommandRecord.class);
        assertEquals(4, status.capacity());
        assertEquals("agent.status", status.frameType());
        // Read back, what we read is what was written.
        assertEquals(c, JSON.readValue(JSON.writeValueAsString(c), CommandRecord.class));
    }

    @Test
    void moderatedMessagesAreReadWithVerdictAndRedactions() throws Exception {
        String json = "{'v': 1, 'messageId': '" + MSG + "', 'clientMsgId': 'c-42', 'conversationId': '" + CONV + "',"
                + " 'sender': {'userId': 'u1', 'roles': ['customer'], 'displayName': 'Ada', 'guest': false, 'fingerprint': null},"
                + " 'text': 'my card ****1111', 'attachmentIds': [], 'gatewayNode': 'gw-1', 'connectionId': 'gw-1:7f2e',"
                + " 'receivedAt': '2026-11-25T08:00:00.123Z', 'verdict': 'REDACT', 'reasons': [],"
                + " 'redactions': [{'kind': 'card', 'start': 8, 'end': 27}], 'moderatedAt': '2026-11-25T08:00:00.123Z'}";
        ModeratedRecord m = JSON.readValue(json.replace('\'', '"'), ModeratedRecord.class);
        assertEquals("REDACT", m.verdict());
        assertEquals(MSG, m.messageId());
        assertEquals("card", m.redactions().get(0).get("kind").asText());
        assertEquals("gw-1:7f2e", m.connectionId());
        assertEquals(m, JSON.readValue(JSON.writeValueAsString(m), ModeratedRecord.class));
    }

    @Test
    void messagesAreWrittenAsDocumented() throws Exception {
        MessageEvent e = new MessageEvent(1, MSG, "c-42", CONV, 7, new MessageEvent.Sender("u1", "customer", "Ada", false),
                "hello", JSON.createArrayNode(), List.of(), AT);
        JsonNode expected = tree("{'v': 1, 'messageId': '" + MSG + "', 'clientMsgId': 'c-42', 'conversationId': '" + CONV
                + "', 'seq': 7, 'sender': {'userId': 'u1', 'role': 'customer', 'displayName': 'Ada', 'verifiedAgent': false},"
                + " 'text': 'hello', 'redactions': [], 'attachmentIds': [], 'sentAt': '2026-11-25T08:00:00.123Z'}");
        assertEquals(expected, written(e));
        assertEquals(e, JSON.treeToValue(expected, MessageEvent.class));
    }

    @Test
    void lifecycleEventsWriteAbsentValuesAsNull() throws Exception {
        ActorRecord actor = new ActorRecord("u1", List.of("customer"), "Ada", false, null);
        ConversationEvent e = new ConversationEvent(1, MSG, "queued", CONV, "support", "u1", null, actor, null, AT);
        JsonNode expected = tree("{'v': 1, 'eventId': '" + MSG + "', 'type': 'queued', 'conversationId': '" + CONV + "',"
                + " 'queue': 'support', 'customerId': 'u1', 'agentId': null, 'actor': {'userId': 'u1', 'roles': ['customer'],"
                + " 'displayName': 'Ada', 'guest': false, 'fingerprint': null}, 'reason': null,"
                + " 'occurredAt': '2026-11-25T08:00:00.123Z'}");
        assertEquals(expected, written(e));
        assertEquals(e, JSON.treeToValue(expected, ConversationEvent.class));
    }

    @Test
    void auditEventsCarryCodesAndTheService() throws Exception {
        AuditEvent e = new AuditEvent(1, MSG, AT, new AuditEvent.Actor("u1", List.of("customer"), null), "message.rejected",
                new AuditEvent.Resource("message", MSG.toString()), "DENIED", Map.of("reasons", List.of("banned")),
                "session-service");
        JsonNode expected = tree("{'v': 1, 'eventId': '" + MSG + "', 'occurredAt': '2026-11-25T08:00:00.123Z',"
                + " 'actor': {'userId': 'u1', 'roles': ['customer'], 'ip': null}, 'action': 'message.rejected',"
                + " 'resource': {'type': 'message', 'id': '" + MSG + "'}, 'outcome': 'DENIED',"
                + " 'details': {'reasons': ['banned']}, 'service': 'session-service'}");
        assertEquals(expected, written(e));
        assertEquals("message:" + MSG, e.resource().key());
        assertEquals(e, JSON.treeToValue(expected, AuditEvent.class));
    }

    @Test
    void deliveriesWrapAServerFrame() throws Exception {
        var frame = written(new Frames.ConversationFrame(Frames.QUEUED, CONV, "r-1", "support", null, 2));
        DeliveryRecord d = new DeliveryRecord(1, MSG, List.of("u1"), null, frame);
        JsonNode expected = tree("{'v': 1, 'deliveryId': '" + MSG + "', 'recipients': ['u1'], 'connectionId': null,"
                + " 'frame': {'type': 'conversation.queued', 'conversationId': '" + CONV + "', 'clientRef': 'r-1',"
                + " 'queue': 'support', 'position': 2}}");
        assertEquals(expected, written(d));
        assertEquals(d, JSON.treeToValue(expected, DeliveryRecord.class));
    }

    @Test
    void serverFramesHaveTheProtocolFields() throws Exception {
        MessageEvent m = new MessageEvent(1, MSG, "c-42", CONV, 3, new MessageEvent.Sender("a1", "agent", "Alex", true),
                "hi", JSON.createArrayNode(), List.of("att-1"), AT);
        assertEquals(tree("{'type': 'message', 'conversationId': '" + CONV + "', 'seq': 3, 'messageId': '" + MSG + "',"
                        + " 'sender': {'userId': 'a1', 'role': 'agent', 'displayName': 'Alex', 'verifiedAgent': true},"
                        + " 'text': 'hi', 'redactions': [], 'attachments': [{'attachmentId': 'att-1'}], 'sentAt': '2026-11-25T08:00:00.123Z'}"),
                written(Frames.MessageFrame.of(m)));
        assertEquals(tree("{'type': 'conversation.assigned', 'conversationId': '" + CONV + "', 'queue': 'support',"
                        + " 'agent': {'userId': 'a1', 'displayName': 'Alex'}}"),
                written(new Frames.ConversationFrame(Frames.ASSIGNED, CONV, null, "support",
                        new Frames.AgentRef("a1", "Alex"), null)));
        assertEquals(tree("{'type': 'typing', 'conversationId': '" + CONV + "', 'userId': 'u1'}"),
                written(new Frames.SignalFrame(Frames.TYPING, CONV, "u1", null)));
        JsonNode rejected = written(Frames.RejectedFrame.of("c-42", "phishing"));
        assertEquals("message.rejected", rejected.get("type").asText());
        assertEquals("phishing", rejected.get("code").asText());
        assertFalse(rejected.get("reason").asText().isBlank());
        assertEquals(tree("{'type': 'error', 'code': 'forbidden', 'message': 'no', 'ref': 'conversation.close'}"),
                written(new Frames.ErrorFrame(Frames.ERROR, "forbidden", "no", "conversation.close")));
    }
}
