package io.securechat.audit.query;

import static io.restassured.RestAssured.given;
import static io.securechat.audit.AuditFixtures.awaitStored;
import static io.securechat.audit.AuditFixtures.compliance;
import static io.securechat.audit.AuditFixtures.event;
import static io.securechat.audit.AuditFixtures.send;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.auditproof.ExportVerifier;
import io.securechat.auditproof.PublicKeys;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.Keycloak;
import io.securechat.testsupport.LocalStack;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The compliance API: filters and paging, exports that verify offline, its own use audited, and refusals. */
@QuarkusTest
class ComplianceApiIT {

    @Inject
    SchemaMigrator migrator;

    String marker;
    Instant start;

    @BeforeEach
    void records() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
        start = Instant.now().minusSeconds(2);
        marker = "api-" + UUID.randomUUID();
        ObjectNode a = event("it.alpha", "test", marker, "actor-a-" + marker);
        ObjectNode b = event("it.beta.one", "test", marker, "actor-b-" + marker);
        ObjectNode c = event("it.beta.two", "test", marker, "=HYPERLINK(\"x\")");
        send(a);
        send(b);
        awaitStored(send(c));
        awaitStored(UUID.fromString(a.get("eventId").asText()));
    }

    @Test
    void filtersAndPages() {
        String t = compliance();
        given().auth().oauth2(t).queryParam("resource", "test:" + marker).get("/api/v1/audit/events").then().statusCode(200)
                .body("items", hasSize(3)).body("items[0].event.action", equalTo("it.beta.two"))
                .body("items[0].hash", notNullValue()).body("items[0].seq", notNullValue());
        given().auth().oauth2(t).queryParam("resource", "test:" + marker).queryParam("action", "it.beta.*")
                .get("/api/v1/audit/events").then().statusCode(200).body("items", hasSize(2));
        given().auth().oauth2(t).queryParam("actor", "actor-a-" + marker).get("/api/v1/audit/events").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].event.action", equalTo("it.alpha"));
        given().auth().oauth2(t).queryParam("resource", "test:" + marker).queryParam("from", Instant.now().plusSeconds(60).toString())
                .get("/api/v1/audit/events").then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(t).queryParam("resource", "test:" + marker).queryParam("from", start.toString())
                .queryParam("to", Instant.now().plusSeconds(5).toString())
                .get("/api/v1/audit/events").then().statusCode(200).body("items", hasSize(3));
        long next = given().auth().oauth2(t).queryParam("resource", "test:" + marker).queryParam("limit", 2)
                .get("/api/v1/audit/events").then().statusCode(200).body("items", hasSize(2))
                .extract().jsonPath().getLong("nextBefore");
        given().auth().oauth2(t).queryParam("resource", "test:" + marker).queryParam("limit", 2).queryParam("before", next)
                .get("/api/v1/audit/events").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].event.action", equalTo("it.alpha")).body("nextBefore", nullValue());
    }

    @Test
    void badInputGetsAClearError() {
        String t = compliance();
        for (String[] q : List.of(new String[] {"from", "yesterday"}, new String[] {"limit", "0"},
                new String[] {"limit", "abc"}, new String[] {"action", "DROP TABLE"}, new String[] {"resource", ":x"})) {
            given().auth().oauth2(t).queryParam(q[0], q[1]).get("/api/v1/audit/events").then().statusCode(400)
                    .body("code", equalTo("bad_request"));
        }
        given().auth().oauth2(t).queryParam("format", "xml").get("/api/v1/audit/export").then().statusCode(400);
        given().auth().oauth2(t).get("/api/v1/audit/events/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void anNdjsonExportVerifiesOfflineWithThePublicKeyAlone() throws Exception {
        String body = given().auth().oauth2(compliance()).queryParam("format", "ndjson").queryParam("resource", "test:" + marker)
                .get("/api/v1/audit/export").then().statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("attachment"))
                .extract().asString();
        byte[] key = PublicKeys.read(LocalStack.runDir().resolve("keys/audit-signing.pub"));
        ExportVerifier.Report report = ExportVerifier.verify(new StringReader(body), key, null);
        assertTrue(report.ok(), String.join("\n", report.problems()));
        assertEquals(3, report.records());

        // The whole log, as one complete export.
        String all = given().auth().oauth2(compliance()).get("/api/v1/audit/export").then().statusCode(200).extract().asString();
        ExportVerifier.Report full = ExportVerifier.verify(new StringReader(all), key, null);
        assertTrue(full.ok(), String.join("\n", full.problems()));
        assertTrue(all.lines().findFirst().orElseThrow().contains("\"complete\":true"));

        // A line changed in transit is caught.
        String tampered = body.replaceFirst("actor-a-", "actor-x-");
        assertTrue(!ExportVerifier.verify(new StringReader(tampered), key, null).ok());
    }

    @Test
    void aCsvExportHasOneRowPerRecordAndNoFormulas() {
        String csv = given().auth().oauth2(compliance()).queryParam("format", "csv").queryParam("resource", "test:" + marker)
                .get("/api/v1/audit/export").then().statusCode(200).extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals(4, lines.size(), csv);
        assertTrue(lines.get(0).startsWith("seq,recordedAt,occurredAt,eventId,actorId"), lines.get(0));
        assertTrue(csv.contains("'=HYPERLINK"), "a formula-like cell is neutralised: " + csv);
    }

    @Test
    void everyUseIsAuditedAndOthersAreRefused() throws Exception {
        String t = compliance();
        String agent = Keycloak.token("agent1");
        String agentId = subject(agent);
        given().auth().oauth2(t).queryParam("resource", "test:" + marker).get("/api/v1/audit/events").then().statusCode(200);
        given().auth().oauth2(agent).get("/api/v1/audit/events").then().statusCode(403);
        // The role is checked before the parameters: bad input from someone without it is a 403, and audited.
        given().auth().oauth2(agent).queryParam("from", "yesterday").get("/api/v1/audit/events").then().statusCode(403);
        given().auth().oauth2(agent).get("/api/v1/audit/export").then().statusCode(403);
        given().auth().oauth2(Keycloak.token("customer1")).get("/api/v1/audit/verify").then().statusCode(403);
        given().get("/api/v1/audit/events").then().statusCode(401);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            var granted = given().auth().oauth2(t).queryParam("action", "audit.query").queryParam("from", start.toString())
                    .queryParam("limit", 500).get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
            List<String> resources = granted.getList("items.event.details.resource");
            assertTrue(resources.contains("test:" + marker), "the compliance query is audited: " + resources);
            var denied = given().auth().oauth2(t).queryParam("actor", agentId).queryParam("action", "audit.*")
                    .queryParam("from", start.toString()).get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
            List<String> actions = denied.getList("items.event.action");
            assertEquals(3, actions.size(), "the agent's three refused calls are audited: " + actions);
            assertTrue(actions.contains("audit.export") && actions.contains("audit.query"), actions.toString());
            assertTrue(denied.getList("items.event.outcome").stream().allMatch("DENIED"::equals));
            var verifies = given().auth().oauth2(t).queryParam("action", "audit.verify").queryParam("from", start.toString())
                    .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
            assertTrue(verifies.getList("items.event.outcome").contains("DENIED"), "the customer's refused verify is audited");
        });
    }

    /** The token's subject: the user id the audit records name. */
    static String subject(String jwt) throws Exception {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload).get("sub").asText();
    }
}
