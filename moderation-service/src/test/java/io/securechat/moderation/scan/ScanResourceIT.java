package io.securechat.moderation.scan;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.securechat.moderation.pipeline.Violation;
import io.securechat.testsupport.KafkaTap;
import io.securechat.testsupport.Keycloak;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The internal scan endpoint with real Keycloak tokens and the real broker: only service
 * identities may call it; EICAR is malware, a clean file is clean; every verdict is an
 * {@code attachment.scanned} audit record (ids and codes, no file name) and every rejection for
 * malware a {@link Violation} for the uploader's reputation.
 */
@QuarkusTest
class ScanResourceIT {

    static final String PATH = "/internal/v1/attachments/scan";

    @Inject
    ViolationLog violations;

    static String transcriptToken() {
        return Keycloak.clientToken(Keycloak.TRANSCRIPT_CLIENT, Keycloak.TRANSCRIPT_SECRET);
    }

    static RequestSpecification request(String token) {
        RequestSpecification r = given().contentType("application/octet-stream");
        return token == null ? r : r.header("Authorization", "Bearer " + token);
    }

    static Response scan(String token, String filename, String declared, byte[] body, UUID conversation, UUID attachment,
            String uploader) {
        return request(token).queryParam("filename", filename).queryParam("contentType", declared)
                .queryParam("size", body.length).queryParam("conversationId", conversation.toString())
                .queryParam("attachmentId", attachment.toString()).queryParam("uploaderId", uploader)
                .queryParam("roles", "customer").body(body).post(PATH);
    }

    static JsonNode awaitScanned(KafkaTap audit, UUID attachment) {
        return audit.await(r -> "attachment.scanned".equals(r.value().path("action").asText())
                && attachment.toString().equals(r.value().path("resource").path("id").asText()), Duration.ofSeconds(20)).value();
    }

    @Test
    void eicarIsRejectedAsMalwareAuditedAndCountedAgainstTheUploader() {
        UUID conversation = UUID.randomUUID();
        UUID attachment = UUID.randomUUID();
        String uploader = "uploader-" + UUID.randomUUID();
        String marker = "secret-name-" + UUID.randomUUID();
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            scan(transcriptToken(), marker + ".txt", "text/plain", Samples.eicar(), conversation, attachment, uploader)
                    .then().statusCode(200)
                    .body("verdict", equalTo("REJECTED")).body("code", equalTo("malware"))
                    .body("reason", equalTo("scan.eicar")).body("message", containsString("EICAR"))
                    .body("keySet()", containsInAnyOrder("verdict", "code", "reason", "message"));
            JsonNode event = awaitScanned(audit, attachment);
            assertEquals("DENIED", event.path("outcome").asText());
            assertEquals("attachment", event.path("resource").path("type").asText());
            assertEquals(uploader, event.path("actor").path("userId").asText());
            assertEquals("customer", event.path("actor").path("roles").path(0).asText());
            JsonNode details = event.path("details");
            assertEquals(conversation.toString(), details.path("conversationId").asText());
            assertEquals("REJECTED", details.path("verdict").asText());
            assertEquals("malware", details.path("code").asText());
            assertEquals("scan.eicar", details.path("reason").asText());
            assertEquals(68, details.path("size").asInt());
            assertEquals("chat-transcript", details.path("via").asText());
            assertEquals("moderation-service", event.path("service").asText());
            assertFalse(event.toString().contains(marker), "no file name in the audit record");
            assertFalse(event.toString().contains("EICAR-STANDARD"), "no file content in the audit record");
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> violations.seen().stream()
                .anyMatch(v -> v.userId().equals(uploader)));
        Violation v = violations.seen().stream().filter(x -> x.userId().equals(uploader)).findFirst().orElseThrow();
        assertEquals("malware", v.reason());
        assertEquals("attachment", v.source());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("chat_moderation_attachment_scans_total")
                && l.contains("reason=\"scan.eicar\"") && l.contains("verdict=\"REJECTED\"")), "counted by verdict and reason");
    }

    @Test
    void aCleanFileIsCleanAndAuditedAsSuccessWithoutAViolation() {
        UUID attachment = UUID.randomUUID();
        String uploader = "uploader-" + UUID.randomUUID();
        try (KafkaTap audit = KafkaTap.open("audit.events.v1")) {
            scan(transcriptToken(), "screen.png", "image/png", Samples.png(50_000), UUID.randomUUID(), attachment, uploader)
                    .then().statusCode(200).body("verdict", equalTo("CLEAN")).body("contentType", equalTo("image/png"))
                    .body("code", nullValue()).body("keySet()", containsInAnyOrder("verdict", "contentType"));
            JsonNode event = awaitScanned(audit, attachment);
            assertEquals("SUCCESS", event.path("outcome").asText());
            assertEquals("image/png", event.path("details").path("contentType").asText());
            assertEquals(50_000, event.path("details").path("size").asInt());
        }
        scan(transcriptToken(), "report.docx", FileType.DOCX.mime(), Samples.docx(), UUID.randomUUID(), UUID.randomUUID(),
                uploader).then().statusCode(200).body("verdict", equalTo("CLEAN"));
        assertTrue(violations.seen().stream().noneMatch(v -> v.userId().equals(uploader)), "a clean file is no violation");
    }

    @Test
    void onlyServiceIdentitiesMayCallIt() {
        byte[] png = Samples.png(100);
        UUID c = UUID.randomUUID();
        scan(null, "a.png", "image/png", png, c, UUID.randomUUID(), "u1").then().statusCode(401);
        scan(Keycloak.token("customer1"), "a.png", "image/png", png, c, UUID.randomUUID(), "u1").then().statusCode(403);
        scan(Keycloak.token("moderator1"), "a.png", "image/png", png, c, UUID.randomUUID(), "u1").then().statusCode(403);
        // Any holder of realm role service: the gateway's identity too.
        scan(Keycloak.serviceToken(), "a.png", "image/png", png, c, UUID.randomUUID(), "u1").then().statusCode(200)
                .body("verdict", equalTo("CLEAN"));
    }

    @Test
    void unusableParametersAre400AndFileProblemsAreVerdicts() {
        byte[] png = Samples.png(100);
        request(transcriptToken()).queryParam("filename", "a.png").queryParam("uploaderId", "u1").body(png).post(PATH)
                .then().statusCode(400).body("code", equalTo("bad_request")).body("message", containsString("conversationId"));
        request(transcriptToken()).queryParam("filename", "a.png").queryParam("conversationId", UUID.randomUUID().toString())
                .body(png).post(PATH).then().statusCode(400).body("message", containsString("uploaderId"));
        request(transcriptToken()).queryParam("filename", "a.png").queryParam("conversationId", UUID.randomUUID().toString())
                .queryParam("uploaderId", "u1").queryParam("size", "many").body(png).post(PATH).then().statusCode(400);
        // The announced size over the limit: refused before the body is read.
        request(transcriptToken()).queryParam("filename", "a.png").queryParam("conversationId", UUID.randomUUID().toString())
                .queryParam("uploaderId", "u1").queryParam("size", (10 << 20) + 1).body(png).post(PATH).then().statusCode(200)
                .body("code", equalTo("too_large")).body("reason", equalTo("scan.too_large"));
        // A body longer than announced, an empty file, a bad name.
        request(transcriptToken()).queryParam("filename", "a.png").queryParam("conversationId", UUID.randomUUID().toString())
                .queryParam("uploaderId", "u1").queryParam("size", 10).body(png).post(PATH).then().statusCode(200)
                .body("code", equalTo("bad_request")).body("reason", equalTo("scan.size_mismatch"));
        scan(transcriptToken(), "e.txt", "text/plain", new byte[0], UUID.randomUUID(), UUID.randomUUID(), "u1").then()
                .statusCode(200).body("reason", equalTo("scan.empty"));
        scan(transcriptToken(), "../a.png", "image/png", png, UUID.randomUUID(), UUID.randomUUID(), "u1").then()
                .statusCode(200).body("code", equalTo("bad_request")).body("reason", equalTo("scan.filename"));
        // A type mismatch: blocked_content with the detected type.
        scan(transcriptToken(), "a.pdf", "application/pdf", png, UUID.randomUUID(), UUID.randomUUID(), "u1").then()
                .statusCode(200).body("code", equalTo("blocked_content")).body("reason", equalTo("scan.type_mismatch"))
                .body("contentType", equalTo("image/png")).body("message", not(containsString("%")));
    }
}
