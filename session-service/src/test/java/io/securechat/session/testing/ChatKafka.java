package io.securechat.session.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the gateway and moderation-service for the tests: produces {@code chat.commands.v1}
 * and {@code chat.moderated.v1} records (docs/events.md) with a plain producer.
 */
public final class ChatKafka implements AutoCloseable {

    public static final String BOOTSTRAP = "127.0.0.1:19092";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<String, String> producer;

    public ChatKafka() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
    }

    /** A command of {@code type} from the user's connection; returns it for extra fields before {@link #send}. */
    public ObjectNode command(String type, UUID conversationId, TestUser actor) {
        ObjectNode c = JSON.createObjectNode();
        c.put("v", 1).put("commandId", UUID.randomUUID().toString()).put("type", type);
        if (conversationId != null) {
            c.put("conversationId", conversationId.toString());
        } else {
            c.putNull("conversationId");
        }
        actor.actor(c.putObject("actor"));
        c.put("gatewayNode", actor.node()).put("connectionId", actor.connectionId()).put("issuedAt", Instant.now().toString());
        return c;
    }

    public void send(ObjectNode command) {
        String key = command.hasNonNull("conversationId") ? command.get("conversationId").asText()
                : command.get("actor").get("userId").asText();
        produce("chat.commands.v1", key, command.toString());
    }

    /** Starts a conversation (the gateway picks its id); returns the id. */
    public UUID start(TestUser customer, String queue) {
        UUID id = UUID.randomUUID();
        send(command("start", id, customer).put("clientRef", "ref-" + id).put("queue", queue).put("subject", "order 42"));
        return id;
    }

    public void simple(String type, UUID conversationId, TestUser actor) {
        send(command(type, conversationId, actor));
    }

    public void agentStatus(TestUser agent, String status, Integer capacity) {
        ObjectNode c = command("agent.status", null, agent).put("status", status);
        if (capacity != null) {
            c.put("capacity", capacity);
        }
        send(c);
    }

    /** A moderated message with a fresh messageId; returns the record, to produce it again. */
    public ObjectNode moderated(UUID conversationId, TestUser sender, String verdict, List<String> reasons) {
        ObjectNode m = JSON.createObjectNode();
        m.put("v", 1).put("messageId", UUID.randomUUID().toString()).put("clientMsgId", "c-" + UUID.randomUUID())
                .put("conversationId", conversationId.toString());
        sender.actor(m.putObject("sender"));
        m.put("text", "BLOCK".equals(verdict) ? "" : "hello " + UUID.randomUUID()).putArray("attachmentIds");
        m.put("gatewayNode", sender.node()).put("connectionId", sender.connectionId())
                .put("receivedAt", Instant.now().toString()).put("verdict", verdict);
        var r = m.putArray("reasons");
        reasons.forEach(r::add);
        m.putArray("redactions");
        m.put("moderatedAt", Instant.now().toString());
        produce("chat.moderated.v1", conversationId.toString(), m.toString());
        return m;
    }

    /** Produces a moderated record again, as a redelivery would. */
    public void redeliver(ObjectNode moderated) {
        produce("chat.moderated.v1", moderated.get("conversationId").asText(), moderated.toString());
    }

    private void produce(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
