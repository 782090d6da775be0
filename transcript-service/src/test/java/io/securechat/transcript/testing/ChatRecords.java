package io.securechat.transcript.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Records as session-service writes them to {@code chat.messages.v1} and
 * {@code chat.conversations.v1} (docs/events.md), produced to the local broker with acks=all.
 */
public final class ChatRecords {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ConcurrentHashMap<String, String> SUBS = new ConcurrentHashMap<>();
    private static KafkaProducer<String, String> producer;

    private ChatRecords() {}

    /** The Keycloak subject (userId everywhere) of a demo user, from its token. */
    public static String sub(String user) {
        return SUBS.computeIfAbsent(user, u -> {
            String payload = Keycloak.token(u).split("\\.")[1];
            try {
                return JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
                        .get("sub").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A word no other message holds: lower-case letters only. */
    public static String uniqueWord() {
        StringBuilder b = new StringBuilder("zq");
        for (int i = 0; i < 10; i++) {
            b.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return b.toString();
    }

    /** UUIDv7-like ids are not needed by the service: any UUID is an id. */
    public static UUID id() {
        return UUID.randomUUID();
    }

    public static ObjectNode message(UUID conversationId, long seq, UUID messageId, String senderId, String role,
            String displayName, String text) {
        ObjectNode m = JSON.createObjectNode();
        m.put("v", 1);
        m.put("messageId", messageId.toString());
        m.put("clientMsgId", "c-" + seq);
        m.put("conversationId", conversationId.toString());
        m.put("seq", seq);
        ObjectNode sender = m.putObject("sender");
        sender.put("userId", senderId);
        sender.put("role", role);
        sender.put("displayName", displayName);
        sender.put("verifiedAgent", !"customer".equals(role));
        m.put("text", text);
        m.putArray("redactions");
        m.putArray("attachmentIds");
        m.put("sentAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        return m;
    }

    public static ObjectNode withRedaction(ObjectNode message, String kind, int start, int end) {
        ArrayNode r = (ArrayNode) message.get("redactions");
        r.addObject().put("kind", kind).put("start", start).put("end", end);
        return message;
    }

    public static ObjectNode conversation(String type, UUID conversationId, String customerId, String agentId) {
        ObjectNode e = JSON.createObjectNode();
        e.put("v", 1);
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", type);
        e.put("conversationId", conversationId.toString());
        e.put("queue", "support");
        e.put("customerId", customerId);
        if (agentId == null) {
            e.putNull("agentId");
        } else {
            e.put("agentId", agentId);
        }
        e.putNull("actor");
        e.putNull("reason");
        e.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        return e;
    }

    public static void sendMessage(ObjectNode m) {
        send("chat.messages.v1", m.get("conversationId").asText(), m.toString());
    }

    public static void sendConversation(ObjectNode e) {
        send("chat.conversations.v1", e.get("conversationId").asText(), e.toString());
    }

    public static void send(String topic, String key, String value) {
        sendWithOffset(topic, key, value);
    }

    /** Sends and answers where the record landed (partition and offset). */
    public static synchronized org.apache.kafka.clients.producer.RecordMetadata sendWithOffset(String topic, String key,
            String value) {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTap.BOOTSTRAP);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producer = new KafkaProducer<>(p);
        }
        try {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + topic, e);
        }
    }
}
