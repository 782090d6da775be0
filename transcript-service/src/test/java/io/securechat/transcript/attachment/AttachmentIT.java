package io.securechat.transcript.attachment;

import static io.restassured.RestAssured.given;
import static io.securechat.transcript.testing.ChatRecords.conversation;
import static io.securechat.transcript.testing.ChatRecords.message;
import static io.securechat.transcript.testing.ChatRecords.sendConversation;
import static io.securechat.transcript.testing.ChatRecords.sendMessage;
import static io.securechat.transcript.testing.ChatRecords.sub;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import io.securechat.transcript.testing.ChatRecords;
import io.securechat.transcript.testing.Db;
import io.securechat.transcript.testing.TranscriptTestStack;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Upload, link by message, list in history, download; the type and size rules; nothing readable at rest. */
@QuarkusTest
@QuarkusTestResource(TranscriptTestStack.class)
class AttachmentIT {

    /** The malicious uploads above count against customer1's reputation on the shared stack: undone. */
    @org.junit.jupiter.api.AfterAll
    static void forgiveCustomer1() {
        io.securechat.testsupport.Reputations.forgiveDemoUser("customer1");
    }


    @Inject
    SchemaMigrator migrator;

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void schemaMigrated() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
    }

    static Response upload(String user, UUID conversation, String filename, String type, byte[] body) {
        // REST Assured would add "; charset=ISO-8859-1" to text types: the service refuses any charset but UTF-8.
        return given().config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig
                        .encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .header("Authorization", "Bearer " + Keycloak.token(user)).contentType(type).body(body)
                .queryParam("filename", filename).post("/api/v1/conversations/" + conversation + "/attachments");
    }

    static Response get(String user, String path) {
        return given().header("Authorization", "Bearer " + Keycloak.token(user)).get(path);
    }

    UUID openConversationOfCustomer1() {
        UUID id = ChatRecords.id();
        sendConversation(conversation("started", id, sub("customer1"), null));
        sendConversation(conversation("assigned", id, sub("customer1"), sub("agent1")));
        Db.awaitConversation(pool, id, "ASSIGNED");
        return id;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A PNG of a few hundred KiB: the real signature, then bytes (the service checks magic bytes only). */
    static byte[] png(int size) {
        byte[] b = new byte[size];
        new java.util.Random(7).nextBytes(b);
        System.arraycopy(AttachmentRulesTest.PNG, 0, b, 0, AttachmentRulesTest.PNG.length);
        return b;
    }

    @Test
    void uploadedFilesAreLinkedByAMessageListedInTheHistoryAndDownloadedIntact() throws Exception {
        UUID id = openConversationOfCustomer1();
        String marker = "marker" + ChatRecords.uniqueWord();
        byte[] text = ("Bonjour, voilà the receipt " + marker + " — merci\n").repeat(3).getBytes(StandardCharsets.UTF_8);
        byte[] image = png(2_500_000); // more than two StreamingAead segments and two stored chunks
        String textName = "reçu " + marker + ".txt";
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            String textId = upload("customer1", id, textName, "text/plain; charset=utf-8", text).then().statusCode(201)
                    .body("filename", equalTo(textName)).body("contentType", equalTo("text/plain"))
                    .body("size", equalTo(text.length)).extract().path("attachmentId");
            String imageId = upload("customer1", id, "screen.png", "image/png", image).then().statusCode(201)
                    .body("contentType", equalTo("image/png")).extract().path("attachmentId");
            String agentFile = upload("agent1", id, "agent.txt", "text/plain", "from the agent".getBytes(StandardCharsets.UTF_8))
                    .then().statusCode(201).extract().path("attachmentId");
            var uploaded = audit.await(r -> "attachment.uploaded".equals(r.value().path("action").asText())
                    && textId.equals(r.value().path("resource").path("id").asText()), Duration.ofSeconds(20));
            assertEquals(id.toString(), uploaded.value().path("details").path("conversationId").asText());
            assertFalse(uploaded.value().toString().contains(marker), "no filename in audit details");

            // message.send by id: the customer's own two uploads are linked; the agent's upload and an unknown id are not.
            ObjectNode m = message(id, 1, UUID.randomUUID(), sub("customer1"), "customer", "Ada", "see the files");
            m.putArray("attachmentIds").add(textId).add(imageId).add(agentFile).add(UUID.randomUUID().toString()).add("junk");
            sendMessage(m);
            Db.awaitMessages(pool, id, 1);
            String path = "/api/v1/conversations/" + id;
            get("customer1", path + "/messages").then().statusCode(200)
                    .body("messages[0].attachments", hasSize(2))
                    .body("messages[0].attachments[0].attachmentId", equalTo(textId))
                    .body("messages[0].attachments[0].filename", equalTo(textName))
                    .body("messages[0].attachments[0].contentType", equalTo("text/plain"))
                    .body("messages[0].attachments[0].size", equalTo(text.length))
                    .body("messages[0].attachments[1].attachmentId", equalTo(imageId))
                    .body("messages[0].attachments[1].size", equalTo(image.length));
            assertEquals(1, Db.count(pool, "SELECT count(*) FROM attachments WHERE attachment_id = $1 AND message_id IS NULL",
                    UUID.fromString(agentFile)), "someone else's upload is not linked by the customer's message");

            // The same bytes back, for the customer and the assigned agent.
            for (String user : List.of("customer1", "agent1")) {
                Response r = get(user, path + "/attachments/" + imageId);
                r.then().statusCode(200).header("Content-Type", equalTo("image/png"))
                        .header("Content-Disposition", equalTo("attachment; filename=\"screen.png\"; filename*=UTF-8''screen.png"))
                        .header("X-Content-Type-Options", equalTo("nosniff"));
                assertEquals(sha256(image), sha256(r.asByteArray()));
            }
            Response t = get("customer1", path + "/attachments/" + textId);
            t.then().statusCode(200).header("Content-Type", containsString("text/plain"))
                    .header("Content-Disposition", containsString("filename*=UTF-8''re%C3%A7u%20" + marker + ".txt"));
            assertArrayEquals(text, t.asByteArray());
            audit.await(r -> "attachment.downloaded".equals(r.value().path("action").asText())
                    && imageId.equals(r.value().path("resource").path("id").asText())
                    && "assigned_agent".equals(r.value().path("details").path("basis").asText()), Duration.ofSeconds(20));

            // Others: 404 for download and upload, as for an unknown conversation; and an attachment of another conversation.
            get("customer2", path + "/attachments/" + imageId).then().statusCode(404).body("code", equalTo("not_found"));
            upload("customer2", id, "x.txt", "text/plain", "hi there".getBytes(StandardCharsets.UTF_8)).then().statusCode(404)
                    .body("code", equalTo("not_found"));
            UUID other = openConversationOfCustomer1();
            get("customer1", "/api/v1/conversations/" + other + "/attachments/" + imageId).then().statusCode(404);
            get("customer1", path + "/attachments/" + UUID.randomUUID()).then().statusCode(404);
        }

        // At rest: neither the filename nor the file's bytes in any column of any table (as text and as hex).
        List<String> tables = Db.query(pool, "SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").stream().map(r -> r.getString(0)).toList();
        assertTrue(tables.containsAll(List.of("attachments", "attachment_chunks", "attachment_keys")), tables.toString());
        String hex = HexFormat.of().formatHex(marker.getBytes(StandardCharsets.UTF_8));
        long rows = 0;
        for (String table : tables) {
            for (var r : Db.query(pool, "SELECT lower(t::text) FROM " + table + " t")) {
                String row = r.getString(0);
                rows++;
                assertFalse(row.contains(marker), "plaintext in " + table);
                assertFalse(row.contains(hex), "plaintext bytes in " + table);
                assertFalse(row.contains("screen.png") || row.contains(HexFormat.of().formatHex("screen.png".getBytes())),
                        "filename in " + table);
            }
        }
        assertTrue(rows > 5);
    }

    @Test
    void typesThatDoNotAgreeEicarEmptyAndClosedConversationsAreRefused() {
        UUID id = openConversationOfCustomer1();
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            upload("customer1", id, "a.pdf", "application/pdf", png(1000)).then().statusCode(415)
                    .body("code", equalTo("blocked_content")).body("message", containsString("PNG"));
            upload("customer1", id, "a.png", "application/pdf", png(1000)).then().statusCode(415)
                    .body("code", equalTo("blocked_content"));
            upload("customer1", id, "a.exe", "image/png", png(1000)).then().statusCode(415)
                    .body("code", equalTo("blocked_content")).body("message", containsString("not accepted"));
            upload("customer1", id, "run.txt", "text/plain", new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 1})
                    .then().statusCode(415).body("code", equalTo("blocked_content"));
            upload("customer1", id, "eicar.txt", "text/plain", AttachmentRulesTest.EICAR.getBytes(StandardCharsets.US_ASCII))
                    .then().statusCode(422).body("code", equalTo("malware"));
            upload("customer1", id, "empty.txt", "text/plain", new byte[0]).then().statusCode(400)
                    .body("code", equalTo("bad_request"));
            upload("customer1", id, "../x.txt", "text/plain", "abc".getBytes()).then().statusCode(400);
            var rejected = audit.await(r -> "attachment.rejected".equals(r.value().path("action").asText())
                    && "malware".equals(r.value().path("details").path("reason").asText())
                    && id.toString().equals(r.value().path("details").path("conversationId").asText()), Duration.ofSeconds(20));
            assertEquals("DENIED", rejected.value().path("outcome").asText());
        }
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM attachments WHERE conversation_id = $1", id), "nothing kept");
        sendConversation(conversation("closed", id, sub("customer1"), sub("agent1")));
        Db.awaitConversation(pool, id, "CLOSED");
        upload("customer1", id, "late.txt", "text/plain", "too late".getBytes()).then().statusCode(409);
    }

    @Test
    void anOversizedStreamIsRefusedWith413AndNothingIsKept() throws Exception {
        UUID id = openConversationOfCustomer1();
        long size = 11L << 20;
        // Generated as it is sent (chunked, no Content-Length): neither side holds the 11 MiB.
        InputStream generated = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'a');
                left -= n;
                return n;
            }
        };
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()
                        + "api/v1/conversations/" + id + "/attachments?filename=big.txt"))
                .header("Authorization", "Bearer " + Keycloak.token("customer1")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> generated)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"too_large\""), response.body());
        assertEquals(0, Db.count(pool, "SELECT count(*) FROM attachments WHERE conversation_id = $1", id));
        // A declared Content-Length over the limit is refused before the body is read.
        upload("customer1", id, "big.txt", "text/plain", new byte[(10 << 20) + 1]).then().statusCode(413).body("code", equalTo("too_large"));
    }
}
