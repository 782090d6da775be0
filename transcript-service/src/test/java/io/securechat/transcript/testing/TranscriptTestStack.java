package io.securechat.transcript.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.securechat.testsupport.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Properties;

/**
 * Keeps the integration tests away from the running service's data and keys:
 *
 * <ul>
 *   <li>their own schema {@code transcript_it} in the service's database, dropped at the start of
 *       every run (Flyway builds it again): what a test run stores, rotates or tampers with never
 *       touches the real tables;</li>
 *   <li>their own consumer groups, so they do not take records away from a running
 *       transcript-service (groups {@code transcript-service} and {@code transcript-consents});</li>
 *   <li>a copy of the local KEK in {@code target/test-keys} (the rotation test rotates it; the
 *       real {@code .run/keys} file is only read). A fresh copy each run matches the fresh schema:
 *       data keys wrapped by an earlier run's rotated copy are gone with the dropped schema.</li>
 * </ul>
 */
public class TranscriptTestStack implements QuarkusTestResourceLifecycleManager {

    public static final String SCHEMA = "transcript_it";
    public static final String GROUP = "transcript-service-it";
    public static final String CONSENT_GROUP = "transcript-consents-it";
    public static final Path KEK_COPY = Path.of("target/test-keys/transcript-kek.json").toAbsolutePath();

    static final String USER = System.getenv().getOrDefault("CHAT_DB_USER", "chat_transcript");
    static final String PASSWORD = System.getenv().getOrDefault("CHAT_DB_PASSWORD", "chat_transcript-local-only");

    /** Where transcript-service asks for attachment scans (its default {@code chat.scan-client.url}). */
    static final String MODERATION = "http://127.0.0.1:8082";

    private static Process moderation;

    @Override
    public Map<String, String> start() {
        copyKek();
        dropSchema();
        ensureModeration();
        String ca = LocalStack.caCertificate().toString();
        return Map.of(
                "chat.transcript.keys.kek-file", KEK_COPY.toString(),
                "mp.messaging.incoming.transcript-in.group.id", GROUP,
                "mp.messaging.incoming.consents-in.group.id", CONSENT_GROUP,
                // The tests purge on demand; a scheduled run must not race them.
                "chat.transcript.retention.enabled", "false",
                // Small purge batches: a run of RetentionPurgeIT goes through several of them.
                "chat.transcript.retention.purge-batch", "2",
                "quarkus.flyway.schemas", SCHEMA,
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:15432/chat_transcript?search_path=" + SCHEMA,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:15432/chat_transcript?sslmode=verify-full"
                        + "&sslrootcert=" + ca + "&currentSchema=" + SCHEMA);
    }

    /**
     * Uploads are scanned by moderation-service before anything is stored. When none is running
     * (./chat test stops the services before the modules' tests), start the one just built
     * (the reactor builds moderation-service before this module) on its usual port, with consumer
     * groups of its own, for the length of this test JVM.
     */
    private static synchronized void ensureModeration() {
        if (moderation != null || ready()) {
            return;
        }
        Path jar = LocalStack.repoDir().resolve("moderation-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no moderation-service at " + MODERATION + " and no " + jar
                    + " to start: build it first (./mvnw package -pl moderation-service -DskipTests) or ./chat up");
        }
        try {
            Path log = LocalStack.runDir().resolve("logs/moderation-transcript-it.log");
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                    ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
            // Its consumers read the platform's topics: groups of their own, so they take nothing from anyone.
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "^mp\\.messaging\\.incoming\\.([a-z0-9-]+)\\.connector=", java.util.regex.Pattern.MULTILINE)
                    .matcher(Files.readString(LocalStack.repoDir().resolve(
                            "moderation-service/src/main/resources/application.properties")));
            while (m.find()) {
                cmd.add("-Dmp.messaging.incoming." + m.group(1) + ".group.id=" + m.group(1) + "-transcript-it");
            }
            cmd.addAll(java.util.List.of("-jar", jar.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("CHAT_RUN_DIR", LocalStack.runDir().toString());
            pb.environment().put("CHAT_HTTP_PORT", "8082");
            pb.environment().put("CHAT_SERVICE_CLIENT_SECRET", "chat-moderation-local-secret");
            moderation = pb.start();
            Process started = moderation;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
            while (!ready()) {
                if (!started.isAlive() || System.nanoTime() > end) {
                    throw new IllegalStateException("moderation-service for the tests did not become ready; see " + log);
                }
                Thread.sleep(500);
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("cannot start moderation-service for the tests", e);
        }
    }

    private static boolean ready() {
        try {
            var http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(MODERATION + "/q/health/ready"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void copyKek() {
        try {
            Files.createDirectories(KEK_COPY.getParent());
            Path tmp = KEK_COPY.resolveSibling("transcript-kek.json.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.copy(LocalStack.runDir().resolve("keys/transcript-kek.json"), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, KEK_COPY, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            throw new IllegalStateException("cannot copy the local KEK for the tests (./chat stack start makes it)", e);
        }
    }

    private static void dropSchema() {
        Properties p = new Properties();
        p.put("user", USER);
        p.put("password", PASSWORD);
        p.put("sslmode", "verify-full");
        p.put("sslrootcert", LocalStack.caCertificate().toString());
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:15432/chat_transcript", p);
                var s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } catch (Exception e) {
            throw new IllegalStateException("cannot reset the test schema " + SCHEMA, e);
        }
    }

    @Override
    public void stop() {
        // The schema stays for inspection after a run; the next run drops it.
    }
}
