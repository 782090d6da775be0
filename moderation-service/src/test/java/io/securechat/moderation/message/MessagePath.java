package io.securechat.moderation.message;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The gate seen from outside, over the real broker: writes {@code chat.inbound.v1} records as
 * the gateway does and reads what comes out on {@code chat.moderated.v1} and
 * {@code audit.events.v1}. It reads from the end of both topics as they were when it was opened,
 * so other records in the topics (other tests, other engineers) are left out by filtering on ids.
 */
public final class MessagePath implements AutoCloseable {

    public static final String BOOTSTRAP = env("CHAT_KAFKA_PLAINTEXT_BOOTSTRAP", "127.0.0.1:19092");
    public static final Duration WAIT = Duration.ofSeconds(60);

    /** A record the gate produced. */
    public record Out(String topic, String key, String value, JsonNode json) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final List<Out> received = new ArrayList<>();

    private MessagePath() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "moderation-it-reader-" + UUID.randomUUID());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of("chat.moderated.v1", "audit.events.v1")) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // position() resolves the lazy seek now, before the test writes anything.
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(10)));
    }

    public static MessagePath open() {
        return new MessagePath();
    }

    /** A chat.inbound.v1 payload from a signed-in customer, as the gateway writes it. */
    public static Map<String, Object> signedIn(String conversationId, String connectionId, String userId) {
        return inbound(conversationId, connectionId, sender(userId, List.of("customer"), false, null));
    }

    /** A chat.inbound.v1 payload from a guest with the given fingerprint. */
    public static Map<String, Object> guest(String conversationId, String connectionId, String fingerprint) {
        return inbound(conversationId, connectionId,
                sender("guest:" + UUID.randomUUID(), List.of(), true, fingerprint));
    }

    public static Map<String, Object> sender(String userId, List<String> roles, boolean guest, String fingerprint) {
        Map<String, Object> sender = new LinkedHashMap<>();
        sender.put("userId", userId);
        sender.put("roles", roles);
        sender.put("displayName", "IT");
        sender.put("guest", guest);
        sender.put("fingerprint", fingerprint);
        return sender;
    }

    private static Map<String, Object> inbound(String conversationId, String connectionId, Map<String, Object> sender) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("messageId", UUID.randomUUID().toString());
        m.put("clientMsgId", "c-" + UUID.randomUUID());
        m.put("conversationId", conversationId);
        m.put("sender", sender);
        m.put("text", "hello " + UUID.randomUUID());
        m.put("attachmentIds", List.of());
        m.put("gatewayNode", "gw-it");
        m.put("connectionId", connectionId);
        m.put("receivedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        return m;
    }

    /** Writes the record and waits for the broker's acknowledgement: where it was written. */
    public RecordMetadata send(Map<String, Object> inbound) {
        try {
            return producer.send(new ProducerRecord<>("chat.inbound.v1", (String) inbound.get("conversationId"),
                    JSON.writeValueAsString(inbound))).get(10, TimeUnit.SECONDS);
        } catch (JsonProcessingException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for at least {@code count} chat.moderated.v1 records of the conversation; all of them, in order. */
    public List<Out> moderated(String conversationId, int count) {
        await().atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    poll();
                    return moderatedOf(conversationId).size() >= count;
                });
        return moderatedOf(conversationId);
    }

    /** Waits for the audit.events.v1 record about the message. */
    public Out audit(String messageId) {
        await().atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    poll();
                    return auditOf(messageId) != null;
                });
        return auditOf(messageId);
    }

    /** Everything the gate produced for the conversation so far, without waiting for more. */
    public List<Out> moderatedSoFar(String conversationId) {
        poll();
        return moderatedOf(conversationId);
    }

    private void poll() {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            try {
                received.add(new Out(r.topic(), r.key(), r.value(), JSON.readTree(r.value())));
            } catch (JsonProcessingException e) {
                // Not JSON: not the gate's, and not this test's concern.
            }
        }
    }

    private List<Out> moderatedOf(String conversationId) {
        return received.stream()
                .filter(o -> o.topic().equals("chat.moderated.v1")
                        && conversationId.equals(o.json().path("conversationId").asText()))
                .toList();
    }

    private Out auditOf(String messageId) {
        return received.stream()
                .filter(o -> o.topic().equals("audit.events.v1")
                        && messageId.equals(o.json().path("resource").path("id").asText()))
                .findFirst().orElse(null);
    }

    /** The verdict per messageId, first copy only, in the order the gate produced them. */
    public static Map<String, JsonNode> byMessageId(List<Out> records) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        records.forEach(o -> out.putIfAbsent(o.json().get("messageId").asText(), o.json()));
        return out;
    }

    /** The strings of a JSON array, such as a record's {@code reasons}. */
    public static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
