package io.securechat.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securechat.testsupport.ForgedTokens;
import io.securechat.testsupport.Keycloak;
import io.securechat.testsupport.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load benchmark of transcript-service against the running platform (./chat up): the sustained
 * store rate with encryption, and the latency of history reads.
 *
 * <p>Store rate: MESSAGES records for CONVERSATIONS conversations of customer1 are written to
 * chat.messages.v1 (as session-service would; their conversations' "started" events first), as
 * fast as the broker takes them; the rate is MESSAGES divided by the time from the first send
 * until transcript-service's counter {@code chat_transcript_messages_total{outcome="stored"}}
 * has grown by MESSAGES (each message: JSON parse, data key from cache or unwrap, AES-256-GCM
 * encrypt with associated data, blind-index terms, one PostgreSQL transaction, offset commit).
 *
 * <p>History: READS sequential reads of a 50-message page by customer1, through the gateway
 * (TLS, token check, proxy) and straight to transcript-service; HdrHistogram percentiles.
 *
 * <p>Run: bench/run.sh TranscriptLoad [MESSAGES] [CONVERSATIONS] [READS]
 */
public final class TranscriptLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STORED = Pattern.compile(
            "^chat_transcript_messages_total\\{[^}]*outcome=\"stored\"[^}]*\\} ([0-9.eE+]+)$", Pattern.MULTILINE);

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int conversations = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int reads = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        String transcript = env("CHAT_TRANSCRIPT_URL", "http://127.0.0.1:8083");
        String gateway = env("CHAT_GATEWAY_URL", "https://127.0.0.1:8443");
        HttpClient http = client();
        String token = Keycloak.token("customer1");
        String customer = ForgedTokens.claimsOf(token).getSubject();
        String run = UUID.randomUUID().toString().substring(0, 8);

        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            ids.add(UUID.randomUUID());
        }
        try (KafkaProducer<String, String> producer = producer()) {
            for (UUID id : ids) {
                ObjectNode e = JSON.createObjectNode().put("v", 1).put("eventId", UUID.randomUUID().toString())
                        .put("type", "started").put("conversationId", id.toString()).put("queue", "billing")
                        .put("customerId", customer).putNull("agentId").putNull("actor").putNull("reason")
                        .put("occurredAt", Instant.now().toString());
                producer.send(new ProducerRecord<>("chat.conversations.v1", id.toString(), e.toString()));
            }
            producer.flush();
            Thread.sleep(2_000); // let the conversations be known before their messages
            double before = stored(http, transcript);
            System.out.printf("store rate: %d messages in %d conversations (run %s)%n", messages, conversations, run);
            long t0 = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                UUID conversation = ids.get(i % conversations);
                long seq = i / conversations + 1;
                ObjectNode m = JSON.createObjectNode().put("v", 1).put("messageId", UUID.randomUUID().toString())
                        .put("clientMsgId", "b-" + i).put("conversationId", conversation.toString()).put("seq", seq);
                m.putObject("sender").put("userId", customer).put("role", "customer").put("displayName", "Bench")
                        .put("verifiedAgent", false);
                m.put("text", "benchmark " + run + " message " + i + ": where is my parcel, order 12345, it was due on Monday");
                m.putArray("redactions");
                m.putArray("attachmentIds");
                m.put("sentAt", Instant.now().toString());
                producer.send(new ProducerRecord<>("chat.messages.v1", conversation.toString(), m.toString()));
            }
            producer.flush();
            long produced = System.nanoTime();
            double now = before;
            while (now - before < messages) {
                Thread.sleep(250);
                now = stored(http, transcript);
                if (System.nanoTime() - produced > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException("not all stored after 10 min: " + (now - before));
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  produced in %.1f s; all stored after %.1f s: %.0f messages/s%n",
                    (produced - t0) / 1e9, seconds, messages / seconds);
        }

        UUID page = ids.get(0);
        for (String base : new String[] {gateway, transcript}) {
            Histogram h = new Histogram(Duration.ofSeconds(10).toNanos(), 3);
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/conversations/" + page + "/messages?afterSeq=0&limit=50"))
                    .header("Authorization", "Bearer " + token).GET().build();
            for (int i = 0; i < reads + 200; i++) {
                long s = System.nanoTime();
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - s;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("history read: " + r.statusCode());
                }
                if (i >= 200) { // the first 200 warm up
                    h.recordValue(took);
                }
            }
            System.out.printf("history read (%s, 50 messages): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms over %d reads%n",
                    base.startsWith("https") ? "through the gateway" : "transcript-service directly",
                    h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
                    h.getMaxValue() / 1e6, h.getTotalCount());
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static double stored(HttpClient http, String transcript) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(transcript + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = STORED.matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env("CHAT_KAFKA_PLAINTEXT", "127.0.0.1:19092"));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p);
    }

    private static HttpClient client() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(LocalStack.trustStore());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
