package io.securechat.audit.trail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code audit.events.v1} in batches and appends them. At-least-once: a batch is
 * acknowledged (offsets committed by the throttled strategy) only after its transaction
 * committed, and a redelivered event is stored once (eventId). A failure (database down, or a log
 * that no longer matches: {@link Trail}) is retried with back-off while the partitions wait, so
 * nothing is skipped or reordered. A record that is not a valid event is not dropped silently: it
 * becomes an {@code audit.event_rejected} record naming its topic, partition, offset and reason,
 * never its content.
 */
@ApplicationScoped
public class AuditConsumer {

    private static final Logger LOG = Logger.getLogger(AuditConsumer.class);
    static final String CHANNEL = "audit-in";

    private final ObjectMapper json;
    private final AuditAppender appender;
    private final AuditMetrics metrics;
    private final int maxEventBytes;

    public AuditConsumer(ObjectMapper json, AuditAppender appender, AuditMetrics metrics,
            @ConfigProperty(name = "chat.audit.max-event-bytes", defaultValue = "65536") int maxEventBytes) {
        this.json = json;
        this.appender = appender;
        this.metrics = metrics;
        this.maxEventBytes = maxEventBytes;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<IncomingEvent> events = new ArrayList<>(records.count());
        List<ConsumerRecord<String, String>> sources = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> r : records) {
            events.add(check(r));
            sources.add(r);
        }
        Timer.Sample sample = Timer.start();
        return appender.append(events)
                // Data the database refuses will never store: find the event, record it as rejected.
                .onFailure(AuditConsumer::dataError).recoverWithUni(t -> oneByOne(events, sources, 0, 0))
                .onFailure().invoke(t -> LOG.warnf("appending %d audit event(s) failed, retrying: %s", events.size(), describe(t)))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .invoke(n -> sample.stop(metrics.batch))
                .replaceWithVoid();
    }

    private Uni<Integer> oneByOne(List<IncomingEvent> events, List<ConsumerRecord<String, String>> sources, int i, int total) {
        if (i == events.size()) {
            return Uni.createFrom().item(total);
        }
        return appender.append(List.of(events.get(i)))
                .onFailure(AuditConsumer::dataError)
                .recoverWithUni(t -> appender.append(List.of(rejected(sources.get(i), "unstorable"))))
                .chain(n -> oneByOne(events, sources, i + 1, total + n));
    }

    /** A PostgreSQL data exception (SQLSTATE class 22): retrying the same row can never succeed. */
    static boolean dataError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    IncomingEvent check(ConsumerRecord<String, String> r) {
        String value = r.value();
        if (value == null) {
            return rejected(r, "empty");
        }
        if (value.length() > maxEventBytes || value.getBytes(StandardCharsets.UTF_8).length > maxEventBytes) {
            return rejected(r, "too_large");
        }
        JsonNode node;
        try {
            node = json.readTree(value);
        } catch (Exception e) {
            return rejected(r, "not_json");
        }
        try {
            return IncomingEvent.of(node);
        } catch (IncomingEvent.Invalid e) {
            return rejected(r, e.reason);
        }
    }

    /** The record in place of an unusable one: same position in the trail, its reason, no content. */
    private IncomingEvent rejected(ConsumerRecord<String, String> r, String reason) {
        metrics.rejected(reason);
        LOG.warnf("AUDIT-010 %s-%d@%d is not a valid audit event (%s); recorded as audit.event_rejected", r.topic(),
                r.partition(), r.offset(), reason);
        // Name-based id: a redelivery of the same record is recorded once.
        UUID id = UUID.nameUUIDFromBytes((r.topic() + "/" + r.partition() + "/" + r.offset()).getBytes(StandardCharsets.UTF_8));
        Instant now = Instant.now();
        ObjectNode e = json.createObjectNode();
        e.put("v", 1);
        e.put("eventId", id.toString());
        e.put("occurredAt", now.toString());
        ObjectNode actor = e.putObject("actor");
        actor.put("userId", "system:audit-service");
        actor.putArray("roles");
        actor.putNull("ip");
        e.put("action", "audit.event_rejected");
        e.putObject("resource").put("type", "kafka_record").put("id", r.topic() + "/" + r.partition() + "/" + r.offset());
        e.put("outcome", "FAILURE");
        e.putObject("details").put("reason", reason).put("topic", r.topic()).put("partition", r.partition())
                .put("offset", r.offset());
        e.put("service", "audit-service");
        return new IncomingEvent(id, now, "system:audit-service", "audit.event_rejected", "kafka_record",
                r.topic() + "/" + r.partition() + "/" + r.offset(), "FAILURE", "audit-service", e);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) : m));
    }
}
