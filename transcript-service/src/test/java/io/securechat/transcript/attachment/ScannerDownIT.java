package io.securechat.transcript.attachment;

import static io.securechat.transcript.attachment.AttachmentIT.upload;
import static io.securechat.transcript.testing.ChatRecords.conversation;
import static io.securechat.transcript.testing.ChatRecords.sendConversation;
import static io.securechat.transcript.testing.ChatRecords.sub;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.KafkaTap;
import io.securechat.transcript.testing.ChatRecords;
import io.securechat.transcript.testing.Db;
import io.securechat.transcript.testing.TranscriptTestStack;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scan cannot be reached: uploads are refused with 503 and nothing is stored (fail closed). */
@QuarkusTest
@TestProfile(ScannerDownIT.ScannerUnreachable.class)
@QuarkusTestResource(TranscriptTestStack.class)
class ScannerDownIT {

    /** moderation-service at a loopback port nothing listens on. */
    public static class ScannerUnreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("chat.scan-client.url", "http://127.0.0.1:" + port, "chat.scan-client.timeout", "PT5S");
        }
    }

    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @BeforeEach
    void schemaMigrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    @Test
    void aCleanFileIsRefusedWith503AndNothingIsStored() {
        UUID id = ChatRecords.id();
        sendConversation(conversation("started", id, sub("customer1"), null));
        sendConversation(conversation("assigned", id, sub("customer1"), sub("agent1")));
        Db.awaitConversation(pool, id, "ASSIGNED");
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            upload("customer1", id, "screen.png", "image/png", AttachmentIT.png(5000)).then().statusCode(503)
                    .body("code", equalTo("internal")).body("message", containsString("try again"));
            JsonNode rejected = audit.await(r -> "attachment.rejected".equals(r.value().path("action").asText())
                    && id.toString().equals(r.value().path("details").path("conversationId").asText()), Duration.ofSeconds(20))
                    .value();
            assertEquals("FAILURE", rejected.path("outcome").asText());
            assertEquals("scan_unavailable", rejected.path("details").path("reason").asText());
        }
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM attachments WHERE conversation_id = $1", id));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM attachment_keys WHERE conversation_id = $1", id));
        // The gate still answers first for what it can decide alone: that needs no scan.
        upload("customer1", id, "a.pdf", "application/pdf", AttachmentIT.png(1000)).then().statusCode(415);
    }
}
