package io.securechat.moderation.report;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.KafkaTap;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** transcript-service unreachable: the report is still shown, with {@code evidenceUnavailable: true}. */
@QuarkusTest
@TestProfile(EvidenceUnavailableIT.NoTranscript.class)
class EvidenceUnavailableIT {

    public static class NoTranscript implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 9 (discard) is closed on the stack's host: the connection is refused at once.
            return Map.of("chat.reports.transcript-url", "http://127.0.0.1:9");
        }
    }

    @Inject
    SchemaMigrator migrator;

    @Test
    void theReportIsShownWithoutEvidence() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
        UUID conversation = UUID.randomUUID();
        ObjectNode command = ReportIT.reportCommand("it-reporter-" + UUID.randomUUID(), List.of("customer"),
                "it-user-" + UUID.randomUUID(), conversation, List.of(UUID.randomUUID().toString()), "rude");
        String reportId = command.get("commandId").asText();
        KafkaTap.produce("chat.commands.v1", conversation.toString(), command.toString());
        await().atMost(ReportIT.WAIT).pollInterval(Duration.ofMillis(500)).until(() -> given()
                .header("Authorization", ReportIT.moderator()).get(ReportIT.API + "/" + reportId).statusCode() == 200);
        given().header("Authorization", ReportIT.moderator()).get(ReportIT.API + "/" + reportId).then().statusCode(200)
                .body("reportId", equalTo(reportId))
                .body("reason", equalTo("rude"))
                .body("evidenceUnavailable", equalTo(true))
                .body("evidence", hasSize(0))
                .body("reporterParticipant", nullValue());
        ReportIT.dismiss(reportId);
    }
}
