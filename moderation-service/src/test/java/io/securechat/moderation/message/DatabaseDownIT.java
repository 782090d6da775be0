package io.securechat.moderation.message;

import static io.restassured.RestAssured.given;
import static io.securechat.moderation.message.MessagePath.signedIn;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.securechat.platform.schema.SchemaMigrator;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate when the bans cannot be read (the reactive pool pointed at a closed port; schema
 * migration still reaches the real PostgreSQL): the message is neither let through unchecked nor
 * skipped. After the retries the channel fails, liveness goes down so the platform restarts the
 * service, and the record's offset stays uncommitted, so it is moderated after the restart.
 */
@QuarkusTest
@TestProfile(DatabaseDownIT.BansUnreadable.class)
class DatabaseDownIT {

    public static class BansUnreadable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + closedPort() + "/chat_moderation",
                    "chat.moderation.retry.max-backoff", "PT0.5S",
                    "chat.moderation.retry.give-up-after", "PT3S");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    SchemaMigrator migrator;

    private MessagePath path;
    private final String conversation = UUID.randomUUID().toString();

    @BeforeEach
    void setUp() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
        path = MessagePath.open();
    }

    @AfterEach
    void tearDown() {
        path.close();
    }

    @Test
    void aMessageThatCannotBeCheckedIsHeldNotSkipped() throws Exception {
        RecordMetadata written = path.send(signedIn(conversation, "gw-it:" + UUID.randomUUID(),
                "it-user-" + UUID.randomUUID()));

        // Gave up: the channel failed and liveness says so.
        await().atMost(MessagePath.WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/q/health/live").statusCode() == 503);

        assertEquals(List.of(), path.moderatedSoFar(conversation), "nothing was let through unchecked");
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, MessagePath.BOOTSTRAP);
        try (Admin client = Admin.create(admin)) {
            var partition = new TopicPartition(written.topic(), written.partition());
            OffsetAndMetadata committed = client.listConsumerGroupOffsets("moderation-service-it")
                    .partitionsToOffsetAndMetadata().get().get(partition);
            // The committed offset is the next record to read: at or before ours, never past it.
            assertTrue(committed == null || committed.offset() <= written.offset(),
                    () -> "committed " + committed.offset() + " past record " + written.offset());
        }
    }
}
