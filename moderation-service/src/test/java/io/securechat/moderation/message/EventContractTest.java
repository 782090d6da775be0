package io.securechat.moderation.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.moderation.pipeline.Decision;
import io.securechat.moderation.pipeline.Redaction;
import io.securechat.moderation.pipeline.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The JSON of docs/events.md, both ways: what the gate reads and what it writes. */
class EventContractTest {

    /** The chat.inbound.v1 example of docs/events.md, plus a field this version does not know. */
    private static final String INBOUND = """
            {"v": 1, "messageId": "0193a1b2-0000-7000-8000-000000000001", "clientMsgId": "c-42",
             "conversationId": "0193a1b2-0000-7000-8000-0000000000c1",
             "sender": {"userId": "f3c1", "roles": ["customer"], "displayName": "Ada", "guest": false, "fingerprint": null},
             "text": "hello", "attachmentIds": ["att-1"], "gatewayNode": "gw-1", "connectionId": "gw-1:7f2e",
             "receivedAt": "2026-11-25T08:00:00.123Z", "addedLater": {"x": 1}}""";

    private final ObjectMapper plain = new ObjectMapper();

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void readsTheInboundRecordOfTheContractIgnoringUnknownFields() throws Exception {
        InboundMessage m = EventJson.read(INBOUND, InboundMessage.class);
        assertEquals(1, m.v());
        assertEquals("0193a1b2-0000-7000-8000-000000000001", m.messageId());
        assertEquals("c-42", m.clientMsgId());
        assertEquals("0193a1b2-0000-7000-8000-0000000000c1", m.conversationId());
        assertEquals(new InboundMessage.Sender("f3c1", List.of("customer"), "Ada", false, null), m.sender());
        assertEquals("hello", m.text());
        assertEquals(List.of("att-1"), m.attachmentIds());
        assertEquals("gw-1", m.gatewayNode());
        assertEquals("gw-1:7f2e", m.connectionId());
        assertEquals(Instant.parse("2026-11-25T08:00:00.123Z"), m.receivedAt());
        assertTrue(m.isComplete());
    }

    @Test
    void onlyAGuestsFingerprintCounts() throws Exception {
        var guest = EventJson.read(INBOUND.replace("\"guest\": false, \"fingerprint\": null",
                "\"guest\": true, \"fingerprint\": \"ab12\""), InboundMessage.class);
        assertEquals("ab12", guest.guestFingerprint());
        var signedIn = EventJson.read(INBOUND.replace("\"fingerprint\": null", "\"fingerprint\": \"ab12\""),
                InboundMessage.class);
        assertNull(signedIn.guestFingerprint());
    }

    @Test
    void aRecordWithoutTheIdsTheGateNeedsIsIncomplete() throws Exception {
        assertFalse(EventJson.read(INBOUND.replace("\"connectionId\": \"gw-1:7f2e\",", ""), InboundMessage.class)
                .isComplete());
        assertFalse(EventJson.read("{\"v\": 1, \"messageId\": \"m\"}", InboundMessage.class).isComplete());
    }

    @Test
    void theModeratedRecordIsTheInboundFieldsPlusTheVerdict() throws Exception {
        InboundMessage in = EventJson.read(INBOUND, InboundMessage.class);
        var decision = new Decision(Verdict.REDACT, List.of(), List.of(new Redaction("card", 1, 3)),
                Instant.parse("2026-11-25T08:00:00.456Z"));
        JsonNode out = plain.readTree(EventJson.write(ModeratedMessage.of(in, decision)));

        JsonNode original = plain.readTree(INBOUND);
        ((com.fasterxml.jackson.databind.node.ObjectNode) original).remove("addedLater");
        Set<String> expected = fieldNames(original);
        expected.addAll(Set.of("verdict", "reasons", "redactions", "moderatedAt"));
        assertEquals(expected, fieldNames(out));
        for (String field : fieldNames(original)) {
            if (!field.equals("text")) {
                assertEquals(original.get(field), out.get(field), field);
            }
        }
        assertEquals("h**lo", out.get("text").asText());
        assertEquals("REDACT", out.get("verdict").asText());
        assertEquals(plain.readTree("[{\"kind\": \"card\", \"start\": 1, \"end\": 3}]"), out.get("redactions"));
        assertEquals(0, out.get("reasons").size());
        assertEquals("2026-11-25T08:00:00.456Z", out.get("moderatedAt").asText());
    }

    @Test
    void theAuditRecordOfABlockCarriesReasonCodesAndNoText() throws Exception {
        InboundMessage in = EventJson.read(INBOUND, InboundMessage.class);
        var decision = new Decision(Verdict.BLOCK, List.of("banned"), List.of(), Instant.parse("2026-11-25T08:00:01Z"));
        String json = EventJson.write(AuditEvent.messageRejected(in, decision));
        JsonNode out = plain.readTree(json);

        assertEquals(Set.of("v", "eventId", "occurredAt", "actor", "action", "resource", "outcome", "details", "service"),
                fieldNames(out));
        assertEquals(1, out.get("v").asInt());
        assertEquals("2026-11-25T08:00:01Z", out.get("occurredAt").asText());
        assertEquals(plain.readTree("{\"userId\": \"f3c1\", \"roles\": [\"customer\"], \"ip\": null}"), out.get("actor"));
        assertEquals("message.rejected", out.get("action").asText());
        assertEquals(plain.readTree("{\"type\": \"message\", \"id\": \"" + in.messageId() + "\"}"), out.get("resource"));
        assertEquals("DENIED", out.get("outcome").asText());
        assertEquals(plain.readTree("{\"reasons\": [\"banned\"], \"conversationId\": \"" + in.conversationId() + "\"}"),
                out.get("details"));
        assertEquals("moderation-service", out.get("service").asText());
        assertFalse(json.contains("hello"), json);
        assertEquals("message:" + in.messageId(), AuditEvent.key(in));
        // The same message audited again (a redelivery) is the same event.
        assertEquals(out.get("eventId"), plain.readTree(EventJson.write(AuditEvent.messageRejected(in, decision))).get("eventId"));
    }

    @Test
    void aDecisionSurvivesTheTripThroughRedis() throws Exception {
        var decision = new Decision(Verdict.REDACT, List.of("sensitive_data"), List.of(new Redaction("iban", 0, 4)),
                Instant.parse("2026-11-25T08:00:00.456Z"));
        String stored = EventJson.write(decision);
        assertEquals(decision, EventJson.read(stored, Decision.class));
        assertFalse(stored.contains("text"), stored);
    }

    @Test
    void theAuditRecordOfARedactionCountsSpanKindsAndCarriesNoText() throws Exception {
        InboundMessage in = EventJson.read(INBOUND.replace("\"hello\"", "\"card 4111 1111 1111 1111 and DE89\""),
                InboundMessage.class);
        var decision = new Decision(Verdict.REDACT, List.of("sensitive_data.card", "sensitive_data.iban"),
                List.of(new Redaction("card", 5, 20), new Redaction("iban", 29, 33), new Redaction("card", 0, 1)),
                Instant.parse("2026-11-25T08:00:02Z"));
        String json = EventJson.write(AuditEvent.messageRedacted(in, decision));
        JsonNode out = plain.readTree(json);
        assertEquals("message.redacted", out.get("action").asText());
        assertEquals("SUCCESS", out.get("outcome").asText());
        assertEquals(plain.readTree("{\"reasons\": [\"sensitive_data.card\", \"sensitive_data.iban\"], \"conversationId\": \""
                + in.conversationId() + "\", \"spans\": {\"card\": 2, \"iban\": 1}, \"spanCount\": 3}"), out.get("details"));
        assertFalse(json.contains("4111"), json);
        assertFalse(json.contains("DE89"), json);
        // A redelivery audits the same event; a rejection of the same message would be another.
        assertEquals(out.get("eventId"), plain.readTree(EventJson.write(AuditEvent.messageRedacted(in, decision))).get("eventId"));
        assertFalse(out.get("eventId").equals(plain.readTree(EventJson.write(AuditEvent.messageRejected(in, decision))).get("eventId")));
    }
}
