package io.securechat.moderation.conversation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.moderation.message.MessagePath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes {@code chat.conversations.v1} records to the real broker as session-service does (docs/events.md). */
public final class ConversationEvents implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaProducer<String, String> producer;

    public ConversationEvents() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, MessagePath.BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
    }

    /** A lifecycle event as session-service writes it. */
    public static Map<String, Object> event(String type, String conversationId, String queue, Instant occurredAt) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("v", 1);
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", type);
        e.put("conversationId", conversationId);
        e.put("queue", queue);
        e.put("customerId", "it-customer");
        e.put("agentId", null);
        e.put("actor", null);
        e.put("reason", null);
        e.put("occurredAt", occurredAt.truncatedTo(ChronoUnit.MILLIS).toString());
        return e;
    }

    public void send(String type, String conversationId, String queue) {
        send(event(type, conversationId, queue, Instant.now()));
    }

    public void send(Map<String, Object> event) {
        try {
            sendRaw((String) event.get("conversationId"), JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void sendRaw(String key, String value) {
        try {
            producer.send(new ProducerRecord<>("chat.conversations.v1", key, value)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
