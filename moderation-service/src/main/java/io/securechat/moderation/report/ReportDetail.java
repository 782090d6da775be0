package io.securechat.moderation.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/moderation/reports/{id}}: the report with its evidence, the reported
 * messages as transcript-service stored them (already redacted), read for the moderator.
 *
 * @param evidenceUnavailable transcript-service or Keycloak did not answer in time: no evidence, report still shown
 * @param reporterParticipant whether the reporter took part in the conversation; null when unknown
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"evidence", "evidenceUnavailable", "reporterParticipant"})
public record ReportDetail(@JsonUnwrapped Report report, List<Evidence> evidence, boolean evidenceUnavailable,
        Boolean reporterParticipant) {

    @JsonPropertyOrder({"messageId", "seq", "sender", "text", "redactions", "sentAt"})
    public record Evidence(UUID messageId, long seq, Sender sender, String text, JsonNode redactions, Instant sentAt) {}

    @JsonPropertyOrder({"userId", "role", "displayName"})
    public record Sender(String userId, String role, String displayName) {}
}
