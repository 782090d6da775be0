package io.securechat.session.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Collects what is produced to a topic from the moment it is opened: all partitions assigned
 * and positioned at their end before the constructor returns, so nothing produced later is
 * missed. Tests filter by their own fresh ids; other engineers' records share the topics.
 */
public final class TopicProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A record with its JSON value; offsets give the order within a partition. */
    public record Rec(String topic, int partition, long offset, String key, JsonNode value) {}

    private final KafkaConsumer<String, String> consumer;
    private final List<Rec> records = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean open = true;

    public TopicProbe(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ChatKafka.BOOTSTRAP);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "session-it-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30))); // resolves the end now
        poller = new Thread(this::poll, "probe-" + topic);
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        try {
            while (open) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(new Rec(r.topic(), r.partition(), r.offset(), r.key(), parse(r.value())));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    public List<Rec> matching(Predicate<Rec> filter) {
        return records.stream().filter(filter).toList();
    }

    /** Waits for the first record that matches. */
    public Rec await(String what, Predicate<Rec> filter) {
        return org.awaitility.Awaitility.await().alias(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> matching(filter).stream().findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    /** Waits until {@code count} records match; returns them in offset order. */
    public List<Rec> await(String what, int count, Predicate<Rec> filter) {
        return org.awaitility.Awaitility.await().alias(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> matching(filter), l -> l.size() >= count);
    }

    @Override
    public void close() {
        open = false;
        consumer.wakeup();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
