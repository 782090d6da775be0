package io.securechat.moderation.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.securechat.moderation.support.WarningThrottle;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reads a report's evidence from transcript-service's internal endpoint
 * ({@code /internal/v1/conversations/{id}/messages/by-id}) with this service's own identity
 * {@code chat-moderation} (client credentials, realm role {@code service}) <b>for the moderator</b>:
 * transcript-service returns only the named messages of that conversation and audits the read
 * ({@code transcript.read}, the moderator as reader, {@code via} this service, the reportId).
 *
 * <p>Any failure (transcript-service or Keycloak down or slow) answers "unavailable" within
 * {@code chat.reports.evidence-timeout}: the report is still shown. Counted in
 * {@code chat_moderation_evidence_reads_total{outcome}}.
 */
@ApplicationScoped
public class EvidenceClient {

    private static final Logger LOG = Logger.getLogger(EvidenceClient.class);
    static final String READS = "chat.moderation.evidence.reads";

    /** What the transcript gave: null {@code messages} means unavailable. */
    public record Evidence(List<ReportDetail.Evidence> messages, Boolean reporterParticipant) {

        static final Evidence UNAVAILABLE = new Evidence(null, null);

        public boolean available() {
            return messages != null;
        }
    }

    @Inject
    OidcClient oidc;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @Inject
    ReportsConfig config;

    private HttpClient client;
    private volatile Tokens tokens;
    private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(30));

    @PostConstruct
    void init() {
        client = vertx.createHttpClient();
    }

    public Uni<Evidence> read(Report report, String moderatorUserId, List<String> moderatorRoles) {
        return token()
                .chain(t -> fetch(t, report, moderatorUserId, String.join(",", moderatorRoles)))
                .ifNoItem().after(config.evidenceTimeout()).fail()
                .invoke(e -> registry.counter(READS, "outcome", "found").increment())
                .onFailure().recoverWithItem(t -> {
                    registry.counter(READS, "outcome", "unavailable").increment();
                    if (warnings.permit()) {
                        LOG.warnf("report evidence unavailable (report %s): %s", report.reportId(), t.toString());
                    }
                    return Evidence.UNAVAILABLE;
                });
    }

    private Uni<String> token() {
        Tokens t = tokens;
        if (t != null && !t.isAccessTokenExpired() && !t.isAccessTokenWithinRefreshInterval()) {
            return Uni.createFrom().item(t.getAccessToken());
        }
        return oidc.getTokens().invoke(fresh -> tokens = fresh).map(Tokens::getAccessToken);
    }

    private Uni<Evidence> fetch(String token, Report report, String moderatorUserId, String roles) {
        URI base = config.transcriptUrl();
        String ids = report.messageIds().stream().map(UUID::toString).collect(Collectors.joining(","));
        String uri = "/internal/v1/conversations/" + report.conversationId() + "/messages/by-id?ids=" + ids
                + "&for=" + URLEncoder.encode(moderatorUserId, StandardCharsets.UTF_8)
                + "&roles=" + URLEncoder.encode(roles, StandardCharsets.UTF_8)
                + "&reportId=" + report.reportId()
                + "&reporter=" + URLEncoder.encode(report.reporterId(), StandardCharsets.UTF_8);
        RequestOptions req = new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost())
                .setPort(base.getPort()).setURI(uri).setTimeout(config.evidenceTimeout().toMillis())
                .putHeader("Authorization", "Bearer " + token).putHeader("Accept", "application/json");
        return client.request(req).chain(r -> r.send()).chain(resp -> resp.body().map(Buffer::toString).map(body -> {
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("transcript-service answered " + resp.statusCode());
            }
            try {
                return parse(json.readTree(body));
            } catch (Exception e) {
                throw new IllegalStateException("unreadable evidence");
            }
        }));
    }

    private static Evidence parse(JsonNode page) {
        List<ReportDetail.Evidence> out = new ArrayList<>();
        for (JsonNode m : page.path("messages")) {
            JsonNode s = m.path("sender");
            out.add(new ReportDetail.Evidence(UUID.fromString(m.path("messageId").asText()), m.path("seq").asLong(),
                    new ReportDetail.Sender(text(s, "userId"), text(s, "role"), text(s, "displayName")),
                    text(m, "text"), m.path("redactions").isArray() ? m.get("redactions") : null,
                    m.hasNonNull("sentAt") ? Instant.parse(m.get("sentAt").asText()) : null));
        }
        JsonNode p = page.get("reporterParticipant");
        return new Evidence(out, p == null || p.isNull() ? null : p.asBoolean());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
