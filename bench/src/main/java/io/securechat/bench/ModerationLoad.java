package io.securechat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load benchmark of one moderation-service instance: the latency of the policy pipeline per
 * message, and the throughput of the instance.
 *
 * <p>A separate instance is started from {@code moderation-service/target/quarkus-app} on port
 * 8092 with its own topics ({@code bench.inbound.v1} in, {@code bench.moderated.v1} and
 * {@code bench.audit.v1} out, {@code bench.<channel>} for its other outgoing channels) and its own
 * consumer groups, so the running platform neither sees nor disturbs it; it uses the real
 * PostgreSQL (bans lookup per message) and Redis (verdict memory, flood buckets, spam counters).
 *
 * <p>Messages are a fixed mix: 70 % ordinary text, 10 % with a card number (REDACT), 10 % with a
 * link to the company's domain, 10 % phishing (BLOCK); each from its own sender and connection,
 * so flood and spam limits stay out of the way (they are measured by their own tests).
 *
 * <ul>
 *   <li>Latency: LATENCY_MESSAGES sent at a slow steady pace (no queueing), each measured from the
 *       inbound record's timestamp to the moderated record's timestamp (both stamped by the
 *       producers on this machine): the pipeline plus two Kafka hops.
 *   <li>Throughput: BURST messages sent at once; messages per second from the first inbound record
 *       to the last moderated one.
 *   <li>Per policy: the mean evaluation time from the instance's own timer
 *       ({@code chat_moderation_policy_evaluation_seconds}).
 * </ul>
 *
 * <p>Run: bench/run.sh ModerationLoad [LATENCY_MESSAGES] [BURST]
 */
public final class ModerationLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORT = 8092;
    private static final String IN = "bench.inbound.v1";
    private static final String OUT = "bench.moderated.v1";
    private static final Pattern TIMER = Pattern.compile(
            "^chat_moderation_policy_evaluation_seconds_(sum|count)\\{([^}]*)\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);

    public static void main(String[] args) throws Exception {
        int latencyMessages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int burst = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        String run = UUID.randomUUID().toString().substring(0, 8);
        createTopics();
        Process instance = start(run);
        try (KafkaProducer<String, String> producer = producer(); KafkaConsumer<String, String> consumer = consumer(run)) {
            awaitReady(instance);
            // Warm-up: JIT, connection pools, caches.
            measure(producer, consumer, 500, 5, "warm-up", false);
            // After the warm-up: the gate names its policies when its channel starts, after readiness.
            System.out.printf("moderation-service bench instance on :%d (run %s), policies: %s%n", PORT, run, policies());
            Histogram h = measure(producer, consumer, latencyMessages, 50, "latency", true);
            System.out.printf("pipeline latency (inbound -> moderated, %d messages at 50/s): p50 %.2f ms, p90 %.2f ms, "
                    + "p99 %.2f ms, max %.2f ms%n", latencyMessages, h.getValueAtPercentile(50) / 1e3,
                    h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
            measure(producer, consumer, burst, 0, "throughput", true);
            perPolicy();
        } finally {
            instance.destroy();
            if (!instance.waitFor(20, TimeUnit.SECONDS)) {
                instance.destroyForcibly();
            }
        }
    }

    /** When the latest verdict of a phase was produced (the moderated record's timestamp). */
    private static long lastVerdict;

    /** Sends COUNT messages at RATE per second (0: as fast as possible) and waits for every verdict. */
    private static Histogram measure(KafkaProducer<String, String> producer, KafkaConsumer<String, String> consumer,
            int count, int rate, String phase, boolean report) throws Exception {
        Map<String, Long> sentAt = new HashMap<>();
        Map<String, Integer> verdicts = new TreeMap<>();
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long start = System.nanoTime();
        long firstSent = 0;
        int received = 0;
        lastVerdict = 0;
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + TimeUnit.SECONDS.toNanos(1) * i / rate;
                while (System.nanoTime() < due) {
                    received += drain(consumer, sentAt, verdicts, h, Duration.ofMillis(1));
                }
            }
            String messageId = UUID.randomUUID().toString();
            String conversationId = UUID.randomUUID().toString();
            var sent = producer.send(new ProducerRecord<>(IN, conversationId, inbound(messageId, conversationId, i)));
            // Paced: each message's own send time, for its latency. Burst: only the first one's.
            if (rate > 0 || i == 0) {
                long ts = sent.get().timestamp();
                firstSent = i == 0 ? ts : firstSent;
                sentAt.put(messageId, rate > 0 ? ts : -1L);
            } else {
                sentAt.put(messageId, -1L);
            }
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (received < count && System.nanoTime() < deadline) {
            received += drain(consumer, sentAt, verdicts, h, Duration.ofMillis(200));
        }
        if (received < count) {
            throw new IllegalStateException(phase + ": only " + received + " of " + count + " verdicts within 5 minutes");
        }
        if (report && rate == 0) {
            double seconds = (lastVerdict - firstSent) / 1e3;
            System.out.printf("throughput (%d messages sent at once): all moderated after %.1f s: %.0f messages/s; verdicts %s%n",
                    count, seconds, count / seconds, verdicts);
        } else if (report) {
            System.out.printf("  verdicts of the latency run: %s%n", verdicts);
        }
        return h;
    }

    private static int drain(KafkaConsumer<String, String> consumer, Map<String, Long> sentAt, Map<String, Integer> verdicts,
            Histogram h, Duration poll) throws Exception {
        int n = 0;
        for (ConsumerRecord<String, String> r : consumer.poll(poll)) {
            JsonNode m = JSON.readTree(r.value());
            Long sent = sentAt.remove(m.path("messageId").asText());
            if (sent == null) {
                continue; // an earlier phase's straggler
            }
            n++;
            verdicts.merge(m.path("verdict").asText(), 1, Integer::sum);
            lastVerdict = Math.max(lastVerdict, r.timestamp());
            if (sent > 0) {
                h.recordValue(Math.max(0, (r.timestamp() - sent) * 1000));
            }
        }
        return n;
    }

    private static final String[] ORDINARY = {
        "Hello, my order 4411-2231 has not arrived yet, can you check?",
        "The tracking code 1Z999AA10123456784 says it is still in Leipzig.",
        "Thanks, that helps a lot. Have a nice day!",
        "Could you call me back on +49 30 1234567 tomorrow morning?",
        "I would like to change the delivery address to my office.",
        "The invoice from 12.10.2026 shows 129,90 EUR, but I paid 119,90 EUR.",
        "Is the blue tent still available in size L?",
    };

    private static String inbound(String messageId, String conversationId, int i) throws Exception {
        String text = switch (i % 10) {
            case 7 -> "Please charge my card 4111 1111 1111 1111 for the upgrade (" + i + ")";
            case 8 -> "I read the return policy on https://acme.example/help/returns (" + i + ")";
            case 9 -> "URGENT: verify your account at http://acme-support.example-login.xyz/verify and send your password (" + i + ")";
            default -> ORDINARY[i % ORDINARY.length] + " (" + i + ")";
        };
        String user = UUID.randomUUID().toString();
        Map<String, Object> sender = new LinkedHashMap<>();
        sender.put("userId", user);
        sender.put("roles", List.of("customer"));
        sender.put("displayName", "Bench Customer");
        sender.put("guest", false);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("messageId", messageId);
        m.put("clientMsgId", "b" + i);
        m.put("conversationId", conversationId);
        m.put("sender", sender);
        m.put("text", text);
        m.put("attachmentIds", List.of());
        m.put("gatewayNode", "gw-1");
        m.put("connectionId", UUID.randomUUID().toString());
        m.put("receivedAt", Instant.now().toString());
        return JSON.writeValueAsString(m);
    }

    private static Process start(String run) throws Exception {
        Path jar = LocalStack.repoDir().resolve("moderation-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw package -pl moderation-service -DskipTests)");
        }
        Path log = LocalStack.runDir().resolve("logs/moderation-bench.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC"));
        // Its own topics and consumer groups: the platform's moderation-service is not disturbed.
        Map<String, String> props = new LinkedHashMap<>();
        props.put("mp.messaging.incoming.chat-inbound.topic", IN);
        props.put("mp.messaging.outgoing.chat-moderated.topic", OUT);
        props.put("mp.messaging.outgoing.audit-events.topic", "bench.audit.v1");
        for (String[] channel : otherChannels()) {
            // Groups are per run (a fresh start at the end of the topic); topics are fixed names.
            props.put("mp.messaging." + channel[0] + "." + channel[1] + "." + channel[2],
                    channel[2].equals("group.id") ? channel[3] + "-" + run : channel[3]);
        }
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CHAT_RUN_DIR", LocalStack.runDir().toString());
        pb.environment().put("CHAT_HTTP_PORT", String.valueOf(PORT));
        pb.environment().put("CHAT_SERVICE_CLIENT_SECRET", "chat-moderation-local-secret");
        System.out.println("starting the bench instance (log " + log + ")");
        return pb.start();
    }

    /**
     * Every other channel of the instance, redirected: incoming ones get a bench group of their
     * own (they read the platform's topics but must not take its records), outgoing ones a bench
     * topic. Read from the service's application.properties so new channels are covered.
     */
    private static List<String[]> otherChannels() throws Exception {
        Path props = LocalStack.repoDir().resolve("moderation-service/src/main/resources/application.properties");
        List<String[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("^mp\\.messaging\\.(incoming|outgoing)\\.([a-z0-9-]+)\\.connector=", Pattern.MULTILINE)
                .matcher(Files.readString(props));
        while (m.find()) {
            String direction = m.group(1);
            String channel = m.group(2);
            if (List.of("chat-inbound", "chat-moderated", "audit-events").contains(channel)) {
                continue;
            }
            out.add(direction.equals("incoming")
                    ? new String[] {direction, channel, "group.id", "bench-" + channel}
                    : new String[] {direction, channel, "topic", "bench." + channel});
        }
        return out;
    }

    private static void awaitReady(Process p) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the bench instance exited; see .run/logs/moderation-bench.log");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the bench instance did not become ready in 120 s");
    }

    private static String policies() throws Exception {
        Matcher m = Pattern.compile("message gate: policies (\\[[^]]*])")
                .matcher(Files.readString(LocalStack.runDir().resolve("logs/moderation-bench.log")));
        return m.find() ? m.group(1) : "?";
    }

    private static void perPolicy() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + PORT + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, double[]> byPolicy = new TreeMap<>();
        Matcher m = TIMER.matcher(body);
        while (m.find()) {
            Matcher p = Pattern.compile("policy=\"([^\"]+)\"").matcher(m.group(2));
            if (!p.find()) {
                continue;
            }
            double[] sc = byPolicy.computeIfAbsent(p.group(1), k -> new double[2]);
            sc[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
        }
        byPolicy.forEach((policy, sc) -> System.out.printf("  policy %-15s mean %.3f ms over %.0f evaluations%n",
                policy, sc[1] == 0 ? 0 : sc[0] / sc[1] * 1e3, sc[1]));
    }

    private static void createTopics() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTap.BOOTSTRAP);
        try (Admin admin = Admin.create(p)) {
            var existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> topics = new ArrayList<>();
            List<String> names = new ArrayList<>(List.of(IN, OUT, "bench.audit.v1"));
            otherChannels().stream().filter(c -> c[2].equals("topic")).forEach(c -> names.add(c[3]));
            for (String t : names) {
                if (!existing.contains(t)) {
                    topics.add(new NewTopic(t, 3, (short) 1));
                }
            }
            if (!topics.isEmpty()) {
                admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTap.BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, String> consumer(String run) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTap.BOOTSTRAP);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + run);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c);
        consumer.subscribe(List.of(OUT));
        // Join now, so "latest" is before the first verdict.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.assignment().isEmpty() && System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(200));
        }
        return consumer;
    }
}
