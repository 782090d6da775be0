package io.securechat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securechat.auditproof.ExportVerifier;
import io.securechat.auditproof.PublicKeys;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import io.securechat.testsupport.LocalStack;
import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load benchmark of one audit-service instance (issue 7): how fast it appends audit events to the
 * hash chain, and how fast the whole chain is verified (online, and offline from an export).
 *
 * <p>A separate instance is started from {@code audit-service/target/quarkus-app} on port 18184 with
 * the JVM flags ./chat gives the services, on database {@code chat_audit_bench} (stack/postgres.sh),
 * a topic of its own ({@code audit.bench.<timestamp>}, 6 partitions like audit.events.v1; its own
 * compliance-API events go there too) and a consumer group of its own, so the running platform
 * neither sees nor disturbs it. The bench database is append-only and grows with every run: its
 * size at the start is reported, and every verify reads the whole log.
 *
 * <ul>
 *   <li>Warm-up: 2,000 events, until all appended (consumer group joined, JIT, pools).
 *   <li>Append throughput: N events (docs/events.md audit.events.v1, about 400 bytes of details)
 *       produced as fast as the producer can (acks=all, batching); records per second from the first
 *       send until the instance's {@code audit_records_appended_total} grew by N. Also the producer's
 *       own rate, the batch timer {@code audit_append_batch_seconds} (batch sizes), and the CPU time
 *       of the instance, PostgreSQL, the Kafka broker and this client over the run.
 *   <li>Paced: RATE events per second for SECONDS seconds; latency per record from the event's
 *       {@code occurredAt} (its send time) to the record's {@code recordedAt} (when its batch was
 *       built; the commit follows within the batch's time).
 *   <li>Verify: {@code GET /api/v1/audit/verify} three times (the whole log each time).
 *   <li>Export: a complete NDJSON export ({@code GET /api/v1/audit/export}) to a file, then
 *       {@link ExportVerifier#verify} over it, as {@code ./chat audit-verify} does.
 * </ul>
 *
 * <p>Run: bench/run.sh AuditLoad [N] [PACED_RATE] [PACED_SECONDS] (defaults 50000 500 20; rate 0
 * skips the paced run). The instance gets the JVM flags of ./chat unless {@code AUDIT_BENCH_JVM_OPTS}
 * replaces them.
 */
public final class AuditLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORT = 18184;
    private static final String BASE = "http://127.0.0.1:" + PORT;
    private static final String DB = "chat_audit_bench";
    private static final int PARTITIONS = 6;
    private static final int WARM_UP = 2_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Map<String, String> SUMMARY = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int pacedRate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int pacedSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        long benchStart = System.nanoTime();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        String topic = "audit.bench." + stamp;
        String group = "audit-bench-" + stamp;

        Map<String, String> machine = machine();
        machine.forEach((k, v) -> System.out.printf("%-8s %s%n", k + ":", v));
        System.out.printf("bench: N=%,d, paced %d/s for %d s; topic %s, group %s, database %s%n", n, pacedRate, pacedSeconds,
                topic, group, DB);

        createTopic(topic);
        Process instance = null;
        Thread hook = null;
        try {
            long t0 = System.nanoTime();
            instance = start(topic, group);
            Process p = instance;
            hook = new Thread(() -> stop(p));
            Runtime.getRuntime().addShutdownHook(hook);
            awaitReady(instance);
            double startup = secondsSince(t0);
            long[] db = dbSize();
            System.out.printf("instance ready in %.1f s (pid %d; it reads and checks the whole log at start-up); log at start: "
                    + "%,d records, audit_records %s (with indexes), %,d signed tree heads%n", startup, instance.pid(), db[0],
                    mib(db[1]), db[2]);
            SUMMARY.put("log at start", String.format("%,d records, %s on disk (table + indexes), %,d tree heads", db[0],
                    mib(db[1]), db[2]));
            SUMMARY.put("instance start-up (reads the log)", String.format("%.1f s", startup));

            try (KafkaProducer<String, String> producer = producer()) {
                // Warm-up: the consumer group joins (initial rebalance delay), JIT, connection pools.
                System.out.printf("warm-up: %,d events%n", WARM_UP);
                appendRun(producer, topic, WARM_UP, "warm-up");
                appendRun(producer, topic, n, "throughput");
                if (pacedRate > 0 && pacedSeconds > 0) {
                    paced(producer, topic, pacedRate, pacedSeconds);
                }
            }
            verifyRuns();
            export();
            long[] end = dbSize();
            SUMMARY.put("log at end", String.format("%,d records, %s on disk (table + indexes), %,d tree heads", end[0],
                    mib(end[1]), end[2]));
        } finally {
            if (instance != null) {
                stop(instance);
                if (hook != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // shutting down already
                    }
                }
            }
            deleteTopic(topic, group);
        }
        SUMMARY.put("benchmark wall time", String.format("%.0f s", secondsSince(benchStart)));

        System.out.println();
        System.out.println("== Audit trail benchmark: summary ==");
        machine.forEach((k, v) -> System.out.printf("%-36s %s%n", k, v));
        SUMMARY.forEach((k, v) -> System.out.printf("%-36s %s%n", k, v));
    }

    // ---------------------------------------------------------------- append throughput

    /** Sends COUNT events as fast as the producer can and waits until the instance appended them all. */
    private static void appendRun(KafkaProducer<String, String> producer, String topic, int count, String phase)
            throws Exception {
        Metrics before = Metrics.scrape();
        Cpu cpuBefore = Cpu.sample();
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        ScheduledExecutorService progress = progress(phase, before.appended, count, sent, start);
        long bytes = 0;
        double producerSeconds;
        try {
            for (int i = 0; i < count; i++) {
                String[] e = event(i);
                bytes += e[1].length();
                producer.send(new ProducerRecord<>(topic, e[0], e[1]), (md, ex) -> {
                    if (ex == null) {
                        sent.incrementAndGet();
                    }
                });
            }
            producer.flush();
            producerSeconds = secondsSince(start);
            if (sent.get() != count) {
                throw new IllegalStateException(phase + ": the broker acknowledged only " + sent.get() + " of " + count);
            }
            Metrics now = before;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(300, count / 50));
            while (now.appended - before.appended < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(phase + ": only " + (long) (now.appended - before.appended) + " of " + count
                            + " appended in time; see .run/logs/audit-bench.log");
                }
                Thread.sleep(100);
                now = Metrics.scrape();
            }
            double seconds = secondsSince(start);
            Cpu cpu = Cpu.sample().minus(cpuBefore);
            if (phase.equals("warm-up")) {
                System.out.printf("warm-up: %,d appended in %.1f s%n", count, seconds);
                return;
            }
            double batches = now.batchCount - before.batchCount;
            double batchSeconds = now.batchSum - before.batchSum;
            System.out.printf("throughput: %,d events (mean %d bytes, details %d bytes; %s) appended in %.1f s: %,.0f records/s; "
                    + "producer done after %.1f s (%,.0f events/s, acks=all)%n", count, bytes / count,
                    DETAILS_BYTES.get() / DETAILS_COUNT.get(), mib(bytes), seconds, count / seconds, producerSeconds,
                    count / producerSeconds);
            System.out.printf("  batches: %,.0f, mean %.0f records, mean %.1f ms (%.2f ms per record), max %.1f ms; "
                    + "duplicates %.0f, rejected %.0f, tree heads signed %.0f%n", batches, count / batches,
                    batchSeconds / batches * 1e3, batchSeconds / count * 1e3, now.batchMax * 1e3,
                    now.duplicates - before.duplicates, now.rejected - before.rejected, now.signed - before.signed);
            System.out.printf("  CPU over the run (%.1f s wall, 2 cores = %.1f s): %s%n", seconds, 2 * seconds, cpu.describe(seconds));
            SUMMARY.put("append throughput", String.format("%,.0f records/s (%,d events in %.1f s)", count / seconds, count,
                    seconds));
            SUMMARY.put("producer (acks=all)", String.format("%,.0f events/s (all acknowledged after %.1f s); mean event %d bytes"
                    + " (details %d)", count / producerSeconds, producerSeconds, bytes / count,
                    DETAILS_BYTES.get() / DETAILS_COUNT.get()));
            SUMMARY.put("append batches", String.format("%,.0f, mean %.0f records and %.1f ms, max %.1f ms (recent window)",
                    batches, count / batches, batchSeconds / batches * 1e3, now.batchMax * 1e3));
            SUMMARY.put("CPU during the appends", cpu.describe(seconds));
        } finally {
            progress.shutdownNow();
        }
    }

    private static ScheduledExecutorService progress(String phase, double appendedBefore, int count, AtomicLong sent, long start) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        double[] last = {appendedBefore};
        s.scheduleAtFixedRate(() -> {
            try {
                double appended = Metrics.scrape().appended;
                System.out.printf("  [%s %5.1f s] sent %,d, appended %,d of %,d (%,.0f/s over the last 5 s)%n", phase,
                        secondsSince(start), sent.get(), (long) (appended - appendedBefore), count, (appended - last[0]) / 5);
                last[0] = appended;
            } catch (Exception e) {
                System.out.println("  (metrics not readable: " + e.getMessage() + ")");
            }
        }, 5, 5, TimeUnit.SECONDS);
        return s;
    }

    // ---------------------------------------------------------------- paced latency

    private static void paced(KafkaProducer<String, String> producer, String topic, int rate, int seconds) throws Exception {
        int count = rate * seconds;
        long fromSeq = dbSize()[0];
        Metrics before = Metrics.scrape();
        System.out.printf("paced: %,d events at %d/s%n", count, rate);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + TimeUnit.SECONDS.toNanos(1) * i / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String[] e = event(i);
            producer.send(new ProducerRecord<>(topic, e[0], e[1]));
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Metrics now = before;
        while (now.appended - before.appended < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("paced: not all appended within 2 minutes");
            }
            Thread.sleep(200);
            now = Metrics.scrape();
        }
        Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(
                "SELECT extract(epoch FROM (recorded_at - occurred_at)) * 1000000 FROM audit_records WHERE seq > ?")) {
            st.setLong(1, fromSeq);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    h.recordValue(Math.max(0, Math.round(rs.getDouble(1))));
                }
            }
        }
        double batches = now.batchCount - before.batchCount;
        String line = String.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (%,d records; batches: mean %.1f records, "
                + "%.1f ms)", h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3, h.getTotalCount(), count / batches,
                (now.batchSum - before.batchSum) / batches * 1e3);
        System.out.println("paced latency (occurredAt -> recordedAt): " + line);
        SUMMARY.put(String.format("latency at %d/s (occurredAt->recordedAt)", rate), line);
    }

    // ---------------------------------------------------------------- verify and export

    private static void verifyRuns() throws Exception {
        List<String> runs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Cpu before = Cpu.sample();
            long t = System.nanoTime();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/audit/verify"))
                    .header("Authorization", "Bearer " + Keycloak.token("compliance1")).timeout(Duration.ofMinutes(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double s = secondsSince(t);
            Cpu cpu = Cpu.sample().minus(before);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("verify: HTTP " + r.statusCode() + " " + r.body());
            }
            JsonNode body = JSON.readTree(r.body());
            long records = body.path("records").asLong();
            System.out.printf("verify %d: ok=%s, %,d records in %.2f s: %,.0f records/s; checkpoint: %s%n  CPU: %s%n", i,
                    body.path("ok").asBoolean(), records, s, records / s, body.path("checkpoint").path("message").asText(),
                    cpu.describe(s));
            if (i == 3) {
                SUMMARY.put("CPU during verify 3", cpu.describe(s));
            }
            if (!body.path("ok").asBoolean()) {
                throw new IllegalStateException("verify says the bench log is broken: " + r.body());
            }
            runs.add(String.format("%.2f s (%,.0f/s)", s, records / s));
            SUMMARY.put("verify (GET /verify, whole log)", String.format("%,d records: %s", records, String.join(", ", runs)));
        }
    }

    private static void export() throws Exception {
        Path file = LocalStack.repoDir().resolve("bench/target/audit-bench-export.ndjson");
        Cpu before = Cpu.sample();
        long t = System.nanoTime();
        HttpResponse<Path> r = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/audit/export?format=ndjson"))
                .header("Authorization", "Bearer " + Keycloak.token("compliance1")).timeout(Duration.ofMinutes(30)).build(),
                HttpResponse.BodyHandlers.ofFile(file));
        double exportSeconds = secondsSince(t);
        Cpu cpu = Cpu.sample().minus(before);
        try {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("export: HTTP " + r.statusCode() + " " + Files.readString(file));
            }
            long size = Files.size(file);
            byte[] key = PublicKeys.read(LocalStack.runDir().resolve("keys/audit-signing.pub"));
            long v = System.nanoTime();
            ExportVerifier.Report report;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                report = ExportVerifier.verify(in, key, null);
            }
            double verifySeconds = secondsSince(v);
            long records = report.records();
            System.out.printf("export: %,d records, %s in %.2f s: %,.0f records/s (%.0f MiB/s)%n  CPU: %s%n", records, mib(size),
                    exportSeconds, records / exportSeconds, size / 1048576.0 / exportSeconds, cpu.describe(exportSeconds));
            SUMMARY.put("CPU during the export", cpu.describe(exportSeconds));
            System.out.printf("offline verify (ExportVerifier, this JVM): ok=%s, %,d records in %.2f s: %,.0f records/s; %s%n",
                    report.ok(), records, verifySeconds, records / verifySeconds, report.summary());
            if (!report.ok()) {
                throw new IllegalStateException("the export does not verify: " + report.problems());
            }
            SUMMARY.put("export (NDJSON, complete)", String.format("%,d records, %s in %.2f s: %,.0f records/s", records, mib(size),
                    exportSeconds, records / exportSeconds));
            SUMMARY.put("offline verify of the export", String.format("%.2f s: %,.0f records/s", verifySeconds,
                    records / verifySeconds));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ---------------------------------------------------------------- events

    private static final String[][] ACTIONS = {
        // action, resource type, service, role
        {"message.accepted", "message", "session-service", "customer"},
        {"message.accepted", "message", "session-service", "agent"},
        {"connection.opened", "connection", "gateway-service", "customer"},
        {"connection.closed", "connection", "gateway-service", "customer"},
        {"conversation.started", "conversation", "session-service", "customer"},
        {"conversation.assigned", "conversation", "session-service", "agent"},
        {"transcript.read", "conversation", "transcript-service", "agent"},
        {"message.redacted", "message", "moderation-service", "customer"},
        {"message.rejected", "message", "moderation-service", "customer"},
        {"attachment.scanned", "attachment", "moderation-service", "customer"},
    };

    private static final String HEX = "0123456789abcdef";

    /** One realistic audit.events.v1 record (docs/events.md): {key, value}; details about 400 bytes. */
    /** Bytes of the details objects produced, and how many: their mean is reported. */
    private static final AtomicLong DETAILS_BYTES = new AtomicLong();
    private static final AtomicLong DETAILS_COUNT = new AtomicLong();

    private static String[] event(int i) {
        String[] a = ACTIONS[i % ACTIONS.length];
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        String conversation = UUID.randomUUID().toString();
        String resourceId = a[1].equals("conversation") ? conversation : UUID.randomUUID().toString();
        ObjectNode e = JSON.createObjectNode();
        e.put("v", 1);
        e.put("eventId", UUID.randomUUID().toString());
        e.put("occurredAt", Instant.now().toString());
        ObjectNode actor = e.putObject("actor");
        actor.put("userId", UUID.randomUUID().toString());
        actor.putArray("roles").add(a[3]);
        actor.putNull("ip");
        e.put("action", a[0]);
        e.putObject("resource").put("type", a[1]).put("id", resourceId);
        boolean denied = a[0].equals("message.rejected") || (a[0].equals("attachment.scanned") && i % 20 == 9);
        e.put("outcome", denied ? "DENIED" : "SUCCESS");
        ObjectNode d = e.putObject("details");
        d.put("conversationId", conversation);
        d.put("node", i % 2 == 0 ? "gw-1" : "gw-2");
        d.put("connectionId", UUID.randomUUID().toString());
        d.put("ipHash", hex(rnd, 64));
        d.put("queue", i % 3 == 0 ? "billing" : "support");
        d.put("clientMsgId", "c" + i);
        ArrayNode reasons = d.putArray("reasons");
        if (a[0].startsWith("message.re")) {
            reasons.add(a[0].equals("message.rejected") ? "phishing" : "sensitive_data");
        }
        ObjectNode spans = d.putObject("spans");
        spans.put("card_number", a[0].equals("message.redacted") ? 1 : 0).put("iban", 0).put("email", 0);
        d.put("traceId", hex(rnd, 32));
        d.put("sequence", i);
        e.put("service", a[2]);
        DETAILS_BYTES.addAndGet(d.toString().length());
        DETAILS_COUNT.incrementAndGet();
        return new String[] {a[1] + ":" + resourceId, e.toString()};
    }

    private static String hex(ThreadLocalRandom rnd, int len) {
        char[] c = new char[len];
        for (int i = 0; i < len; i++) {
            c[i] = HEX.charAt(rnd.nextInt(16));
        }
        return new String(c);
    }

    // ---------------------------------------------------------------- the instance

    private static Process start(String topic, String group) throws Exception {
        Path jar = LocalStack.repoDir().resolve("audit-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw package -pl audit-service -am -DskipTests)");
        }
        if (listening()) {
            throw new IllegalStateException("port " + PORT + " is taken: is an earlier bench instance still running?");
        }
        Path log = LocalStack.runDir().resolve("logs/audit-bench.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        // The JVM flags ./chat gives the services; AUDIT_BENCH_JVM_OPTS replaces them (e.g. to compare the full JIT).
        String opts = System.getenv().getOrDefault("AUDIT_BENCH_JVM_OPTS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(opts.trim().split("\\s+")));
        cmd.addAll(List.of("-jar", jar.toString()));
        System.out.println("instance JVM flags: " + opts);
        SUMMARY.put("instance JVM flags", opts);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("CHAT_RUN_DIR", LocalStack.runDir().toString());
        env.put("CHAT_HTTP_PORT", String.valueOf(PORT));
        env.put("CHAT_DB_NAME", DB);
        env.put("CHAT_AUDIT_GROUP", group);
        // Its own topic, in and out: its compliance-API events stay off the platform's audit.events.v1.
        env.put("MP_MESSAGING_INCOMING_AUDIT_IN_TOPIC", topic);
        env.put("MP_MESSAGING_OUTGOING_AUDIT_OUT_TOPIC", topic);
        System.out.println("starting the bench instance on :" + PORT + " (log " + log + ")");
        return pb.start();
    }

    private static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        System.out.println("bench instance stopped");
    }

    private static boolean listening() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", PORT), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void awaitReady(Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        String last = "";
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the bench instance exited; see .run/logs/audit-bench.log");
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.body();
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the bench instance did not become ready in 600 s; readiness: " + last);
    }

    // ---------------------------------------------------------------- Kafka, database, metrics

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)
                    .configs(Map.of("retention.ms", String.valueOf(TimeUnit.DAYS.toMillis(1)))))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The run's topic and consumer group are removed afterwards (the records are in the bench database). */
    private static void deleteTopic(String topic, String group) {
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("(could not delete topic " + topic + " or group " + group + ": " + e.getMessage() + ")");
        }
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTap.BOOTSTRAP);
        return Admin.create(p);
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTap.BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** As the service's writer role (SELECT and INSERT only; this reads). */
    private static Connection db() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:15432/" + DB + "?sslmode=verify-full&sslrootcert="
                + LocalStack.caCertificate() + "&user=chat_audit_writer&password=chat_audit_writer-local-only";
        return DriverManager.getConnection(url);
    }

    /** {records (highest seq), bytes of audit_records with its indexes and TOAST, signed tree heads}. */
    private static long[] dbSize() throws Exception {
        try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT (SELECT coalesce(max(seq), 0) FROM audit_records), pg_total_relation_size('audit_records'), "
                        + "(SELECT count(*) FROM audit_checkpoints)")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    /** The instance's Prometheus metrics this benchmark reads. */
    private record Metrics(double appended, double duplicates, double rejected, double signed, double batchCount,
            double batchSum, double batchMax) {

        static Metrics scrape() throws Exception {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return new Metrics(sum(body, "audit_records_appended_total"), sum(body, "audit_events_duplicate_total"),
                    sum(body, "audit_events_rejected_total"), sum(body, "audit_tree_heads_signed_total"),
                    sum(body, "audit_append_batch_seconds_count"), sum(body, "audit_append_batch_seconds_sum"),
                    sum(body, "audit_append_batch_seconds_max"));
        }

        private static double sum(String body, String name) {
            Matcher m = Pattern.compile("^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$", Pattern.MULTILINE).matcher(body);
            double s = 0;
            while (m.find()) {
                if (!m.group(2).equals("NaN")) {
                    s += Double.parseDouble(m.group(2));
                }
            }
            return s;
        }
    }

    /** CPU seconds (user + system) of the processes that take part, from /proc. */
    private record Cpu(double instance, double postgres, double kafka, double client, double machine) {

        private static final double HZ = 100.0; // USER_HZ on Linux

        static Cpu sample() {
            double instance = 0;
            double postgres = 0;
            double kafka = 0;
            double machine = 0;
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    String name = d.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String stat = Files.readString(d.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / HZ;
                        if (comm.equals("postgres")) {
                            postgres += cpu;
                        } else if (comm.equals("java")) {
                            String cmdline = Files.readString(d.resolve("cmdline")).replace('\0', ' ');
                            if (cmdline.contains("audit-service/target/quarkus-app") && isBenchInstance(Long.parseLong(name))) {
                                instance += cpu;
                            } else if (cmdline.contains("kafka.Kafka")) {
                                kafka += cpu;
                            }
                        }
                    } catch (Exception e) {
                        // the process ended meanwhile
                    }
                }
                String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
                for (int i = 1; i <= 8 && i < all.length; i++) {
                    if (i != 4 && i != 5) {
                        machine += Long.parseLong(all[i]) / HZ;
                    }
                }
            } catch (Exception e) {
                // not Linux: report zeros
            }
            double client = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1e9;
            return new Cpu(instance, postgres, kafka, client, machine);
        }

        /** The instance this benchmark started (a child of this JVM), not the platform's audit-service. */
        private static boolean isBenchInstance(long pid) {
            return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(p -> p.pid() == ProcessHandle.current().pid())
                    .orElse(false);
        }

        Cpu minus(Cpu o) {
            return new Cpu(instance - o.instance, postgres - o.postgres, kafka - o.kafka, client - o.client,
                    machine - o.machine);
        }

        String describe(double wall) {
            return String.format("audit-service %.0f%%, PostgreSQL %.0f%%, Kafka broker %.0f%%, bench client %.0f%%, whole machine "
                    + "%.0f%% (of one core; 200%% = both cores busy)", 100 * instance / wall, 100 * postgres / wall,
                    100 * kafka / wall, 100 * client / wall, 100 * machine / wall);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, String> machine() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        try {
            m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?"));
            String mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().orElse("MemTotal: 0 kB").replaceAll("[^0-9]", "");
            m.put("memory", String.format("%.1f GiB", Long.parseLong(mem) / 1048576.0));
            m.put("load", Files.readString(Path.of("/proc/loadavg")).trim() + " (1/5/15 min at start)");
        } catch (Exception e) {
            m.put("cpu", "?");
        }
        m.put("java", System.getProperty("java.vendor.version", System.getProperty("java.vendor")) + " "
                + System.getProperty("java.runtime.version") + " (bench client and instance)");
        m.put("date", Instant.now().toString());
        return m;
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
