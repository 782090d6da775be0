package io.securechat.transcript.privacy.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consent records (ARCHITECTURE section 7) from {@code audit.events.v1}: the gateway writes
 * {@code guest.session.created} with {@code actor.userId} (the guest), {@code details.policyVersion}
 * and {@code details.consentAt} when a guest accepts the privacy notice. Kept once per eventId;
 * every other record is passed over. Own consumer group, at-least-once (committed after the
 * insert), transient failures retried while the partition waits.
 */
@ApplicationScoped
public class ConsentConsumer {

    private static final Logger LOG = Logger.getLogger(ConsentConsumer.class);
    public static final String CHANNEL = "consents-in";
    public static final String GUEST_SESSION_CREATED = "guest.session.created";

    private final Pool pool;
    private final ObjectMapper json;

    public ConsentConsumer(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** A consent read from an audit record, or null when the record is not one. Pure. */
    public record Consent(UUID eventId, String subjectId, String policyVersion, Instant consentAt) {

        public static Consent of(JsonNode v) {
            if (v == null || !GUEST_SESSION_CREATED.equals(v.path("action").asText())
                    || !"SUCCESS".equals(v.path("outcome").asText("SUCCESS"))) {
                return null;
            }
            String subject = v.path("actor").path("userId").asText(null);
            String version = v.path("details").path("policyVersion").asText(null);
            String eventId = v.path("eventId").asText(null);
            if (subject == null || version == null || eventId == null) {
                return null;
            }
            try {
                String at = v.path("details").path("consentAt").asText(v.path("occurredAt").asText(null));
                return new Consent(UUID.fromString(eventId), subject, version, Instant.parse(at));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        Consent c;
        try {
            c = record.value() == null ? null : Consent.of(json.readTree(record.value()));
        } catch (Exception e) {
            c = null;
        }
        if (c == null) {
            return Uni.createFrom().voidItem();
        }
        Consent consent = c;
        return Uni.createFrom().deferred(() -> pool.preparedQuery("""
                        INSERT INTO consents (event_id, subject_id, policy_version, consent_at) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (event_id) DO NOTHING""")
                        .execute(Tuple.of(consent.eventId(), consent.subjectId(), consent.policyVersion(),
                                OffsetDateTime.ofInstant(consent.consentAt(), ZoneOffset.UTC))))
                .replaceWithVoid()
                .onFailure().invoke(t -> LOG.warnf("%s-%d@%d: consent not stored yet, retrying: %s", record.topic(),
                        record.partition(), record.offset(), t.getClass().getSimpleName()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }
}
