package io.securechat.moderation.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.securechat.moderation.ban.ModerationEvents;
import io.securechat.moderation.message.AuditEvent;
import io.securechat.moderation.message.EventJson;
import io.securechat.moderation.support.WarningThrottle;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes user reports over from the gateway: consumes {@code chat.commands.v1} (its own group
 * {@code moderation-service-reports}), keeps {@code type = report} only, stores each report once
 * (its id is the commandId) and audits {@code report.received} (event id derived from the
 * report, so a redelivery is the same event).
 *
 * <p>The reporter is not checked against the conversation here: moderation-service knows no
 * participants. The evidence read asks transcript-service and shows {@code reporterParticipant}
 * to the moderator, who decides (docs/moderation-actions.md). At-least-once like the message
 * gate: acknowledged after the row and the audit record are durable; a store that fails is
 * retried, then fails the channel so the command is redelivered rather than lost.
 */
@ApplicationScoped
public class ReportIntake {

    public static final String COMMANDS = "chat-commands";
    static final String RECEIVED = "chat.moderation.reports.received";
    static final String MALFORMED = "chat.moderation.reports.malformed";

    private static final Logger LOG = Logger.getLogger(ReportIntake.class);

    private final ReportStore store;
    private final ModerationEvents events;
    private final ReportsConfig.Retry retry;
    private final MeterRegistry registry;
    private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(30));

    public ReportIntake(ReportStore store, ModerationEvents events, ReportsConfig config, MeterRegistry registry) {
        this.store = store;
        this.events = events;
        this.retry = config.retry();
        this.registry = registry;
    }

    @Incoming(COMMANDS)
    public Uni<Void> onCommand(ConsumerRecord<String, String> record) {
        ReportCommand command = parse(record);
        if (command == null) {
            return Uni.createFrom().voidItem();
        }
        return store.insert(command)
                .onFailure().retry().withBackOff(retry.initialBackoff(), retry.maxBackoff())
                .expireIn(retry.giveUpAfter().toMillis())
                .invoke(stored -> {
                    if (stored) {
                        registry.counter(RECEIVED).increment();
                    }
                })
                .chain(stored -> events.audit(received(command)));
    }

    private ReportCommand parse(ConsumerRecord<String, String> record) {
        String problem;
        try {
            ReportCommand c = record.value() == null ? null : EventJson.read(record.value(), ReportCommand.class);
            if (c == null || !c.isReport()) {
                return null; // every other command is session-service's
            }
            problem = c.problem();
            if (problem == null) {
                return c;
            }
        } catch (JsonProcessingException e) {
            // Not even a command: not ours to judge unless it is a report, which we cannot tell.
            return null;
        }
        registry.counter(MALFORMED).increment();
        if (warnings.permit()) {
            LOG.warnf("skipped a report at %s-%d offset %d: %s", record.topic(), record.partition(), record.offset(),
                    problem);
        }
        return null;
    }

    private static AuditEvent received(ReportCommand c) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("conversationId", c.conversationId());
        details.put("reportedUserId", c.reportedUserId());
        details.put("messageCount", c.messageIds().size());
        return AuditEvent.once(new AuditEvent.Actor(c.actor().userId(), c.actor().roles(), null), "report.received",
                new AuditEvent.Resource("report", c.commandId()), AuditEvent.SUCCESS, details,
                c.issuedAt() == null ? Instant.now() : c.issuedAt());
    }
}
