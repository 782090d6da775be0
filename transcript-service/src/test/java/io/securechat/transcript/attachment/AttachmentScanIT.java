package io.securechat.transcript.attachment;

import static io.securechat.transcript.attachment.AttachmentIT.upload;
import static io.securechat.transcript.testing.ChatRecords.conversation;
import static io.securechat.transcript.testing.ChatRecords.sendConversation;
import static io.securechat.transcript.testing.ChatRecords.sub;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.KafkaTap;
import io.securechat.transcript.attachment.scan.ContentTypes;
import io.securechat.transcript.testing.ChatRecords;
import io.securechat.transcript.testing.Db;
import io.securechat.transcript.testing.TranscriptTestStack;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Uploads go through moderation-service's scan (the instance at 127.0.0.1:8082, with this
 * service's identity chat-transcript) before anything is stored: what only the scan can see
 * (inside a zip, a macro in a document) is refused with the contract's codes, nothing is kept,
 * and both services audit it under the same attachment id.
 */
@QuarkusTest
@QuarkusTestResource(TranscriptTestStack.class)
class AttachmentScanIT {

    /** The malicious uploads above count against customer1's reputation on the shared stack: undone. */
    @org.junit.jupiter.api.AfterAll
    static void forgiveCustomer1() {
        io.securechat.testsupport.Reputations.forgiveDemoUser("customer1");
    }


    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @BeforeEach
    void schemaMigrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    UUID openConversationOfCustomer1() {
        UUID id = ChatRecords.id();
        sendConversation(conversation("started", id, sub("customer1"), null));
        sendConversation(conversation("assigned", id, sub("customer1"), sub("agent1")));
        Db.awaitConversation(pool, id, "ASSIGNED");
        return id;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] docx(Map<String, byte[]> more) throws IOException {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", ("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/"
                + "2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd."
                + "openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>").getBytes(StandardCharsets.UTF_8));
        parts.put("word/document.xml", "<w:document><w:body>Order 42</w:body></w:document>".getBytes(StandardCharsets.UTF_8));
        parts.putAll(more);
        return zip(parts);
    }

    static JsonNode awaitAction(KafkaTap audit, String action, String attachmentId) {
        return audit.await(r -> action.equals(r.value().path("action").asText())
                && attachmentId.equals(r.value().path("resource").path("id").asText()), Duration.ofSeconds(20)).value();
    }

    @Test
    void eicarIsRefusedAsMalwareByTheScanAndNothingIsStored() {
        UUID id = openConversationOfCustomer1();
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            upload("customer1", id, "eicar.txt", "text/plain", AttachmentRulesTest.EICAR.getBytes(StandardCharsets.US_ASCII))
                    .then().statusCode(422).body("code", equalTo("malware"));
            JsonNode rejected = audit.await(r -> "attachment.rejected".equals(r.value().path("action").asText())
                    && id.toString().equals(r.value().path("details").path("conversationId").asText()), Duration.ofSeconds(20))
                    .value();
            assertEquals("DENIED", rejected.path("outcome").asText());
            assertEquals("malware", rejected.path("details").path("reason").asText());
            // moderation-service scanned it under the same attachment id, as the uploader, called by chat-transcript.
            JsonNode scanned = awaitAction(audit, "attachment.scanned", rejected.path("resource").path("id").asText());
            assertEquals("scan.eicar", scanned.path("details").path("reason").asText());
            assertEquals("chat-transcript", scanned.path("details").path("via").asText());
            assertEquals(rejected.path("actor").path("userId").asText(), scanned.path("actor").path("userId").asText());
        }
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM attachments WHERE conversation_id = $1", id), "no attachment row");
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM attachment_keys WHERE conversation_id = $1", id),
                "not even a key: nothing is stored before the scan");
    }

    @Test
    void whatOnlyTheScanSeesIsRefusedWithTheContractsCodes() throws Exception {
        UUID id = openConversationOfCustomer1();
        String zip = "application/zip";
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            // EICAR deflated inside a zip: invisible to the local gate.
            upload("customer1", id, "logs.zip", zip, zip(Map.of("eicar.txt",
                    AttachmentRulesTest.EICAR.getBytes(StandardCharsets.US_ASCII)))).then().statusCode(422)
                    .body("code", equalTo("malware"));
            JsonNode rejected = audit.await(r -> "attachment.rejected".equals(r.value().path("action").asText())
                    && "scan.eicar".equals(r.value().path("details").path("scan").asText())
                    && id.toString().equals(r.value().path("details").path("conversationId").asText()), Duration.ofSeconds(20))
                    .value();
            assertFalse(rejected.toString().contains("logs.zip"), "no file name in the audit record");
        }
        upload("customer1", id, "report.docx", ContentTypes.DOCX, docx(Map.of("word/vbaProject.bin", new byte[600])))
                .then().statusCode(422).body("code", equalTo("malware")).body("message", containsString("macro"));
        byte[] program = new byte[256];
        program[0] = 'M';
        program[1] = 'Z';
        upload("customer1", id, "tools.zip", zip, zip(Map.of("setup.dat", program))).then().statusCode(415)
                .body("code", equalTo("blocked_content"));
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM attachments WHERE conversation_id = $1", id), "nothing kept");
        // A clean document passes and is stored with the type the scan found.
        upload("customer1", id, "order.docx", ContentTypes.DOCX, docx(Map.of())).then().statusCode(201)
                .body("contentType", equalTo(ContentTypes.DOCX));
        upload("customer1", id, "orders.csv", "text/csv", "id,total\n1,12.50\n".getBytes(StandardCharsets.UTF_8)).then()
                .statusCode(201).body("contentType", equalTo("text/csv"));
        assertEquals(2, Db.count(pool, "SELECT count(*) FROM attachments WHERE conversation_id = $1 AND complete", id));
    }
}
