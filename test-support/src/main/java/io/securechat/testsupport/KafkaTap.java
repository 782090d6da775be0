package io.securechat.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads a topic of the local broker from the moment it is opened (no consumer group), so a
 * test sees only what happened after, and writes records as a service would.
 */
public final class KafkaTap implements AutoCloseable {

    public static final String BOOTSTRAP = LocalStack.env("CHAT_KAFKA_PLAINTEXT", "127.0.0.1:19092");
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Record(String key, JsonNode value) {}

    private final KafkaConsumer<String, String> consumer;
    private final List<Record> seen = new ArrayList<>();

    private KafkaTap(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // resolve the end offsets now, before the test acts
    }

    public static KafkaTap open(String topic) {
        return new KafkaTap(topic);
    }

    /** Waits for the first record (since opening) whose JSON value matches. */
    public Record await(Predicate<Record> test, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < seen.size(); checked++) {
                if (test.test(seen.get(checked))) {
                    return seen.get(checked);
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no matching record within " + timeout + "; saw " + seen.size() + " record(s)");
            }
            poll();
        }
    }

    /** Every record seen so far that matches, after polling for the given time. */
    public List<Record> all(Predicate<Record> test, Duration during) {
        long end = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < end) {
            poll();
        }
        return seen.stream().filter(test).toList();
    }

    private void poll() {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            try {
                seen.add(new Record(r.key(), JSON.readTree(r.value())));
            } catch (IOException e) {
                seen.add(new Record(r.key(), JSON.createObjectNode().put("__unparseable__", true)));
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }

    /** Writes one record and waits for the broker's ack. */
    public static void produce(String topic, String key, Object value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            String json = value instanceof String s ? s : JSON.valueToTree(value).toString();
            producer.send(new ProducerRecord<>(topic, key, json)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + topic, e);
        }
    }
}
