package io.securechat.transcript.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.securechat.testsupport.LocalStack;
import io.securechat.testsupport.ServiceJars;
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
     * Uploads are scanned by moderation-service before anything is stored: the one running on
     * 8082, or else the one built earlier in this run, started there (test-support ServiceJars).
     */
    private static void ensureModeration() {
        ServiceJars.ensureRunning("moderation-service", 8082, Map.of("CHAT_SERVICE_CLIENT_SECRET", "chat-moderation-local-secret"));
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
