package io.securechat.moderation.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.securechat.moderation.ModerationConfig;
import io.securechat.moderation.ban.ModerationEvents;
import io.securechat.moderation.ban.StaffDirectory;
import io.securechat.moderation.pipeline.Decision;
import io.securechat.moderation.pipeline.PolicyPipeline;
import io.securechat.moderation.pipeline.Verdict;
import io.securechat.moderation.pipeline.Violation;
import io.securechat.moderation.support.WarningThrottle;
import io.securechat.moderation.verdict.VerdictMemory;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The gate in the message path: {@code chat.inbound.v1} in, the verdict out to
 * {@code chat.moderated.v1}, and an {@code audit.events.v1} record for every verdict that is not
 * ALLOW ({@code message.rejected} for BLOCK, {@code message.redacted} for REDACT: reason codes,
 * span kinds and counts, never text).
 *
 * <p>A fresh BLOCK that is a violation (any protocol code but {@code banned} and {@code muted},
 * which are consequences, and not a sensitive-data or impersonation block, which are not hostile)
 * fires a {@link Violation} for reputation; a redelivered message, whose
 * decision is recalled, fires none, so a violation counts once.
 *
 * <p>At-least-once: the inbound record is acknowledged (and its offset committed, throttled) only
 * when the returned {@code Uni} completes, which is after the broker acknowledged the moderated
 * record and the audit record. A record that cannot be moderated is retried, then fails the
 * channel (failure strategy {@code fail}) so it is redelivered rather than skipped. Records are
 * handled one at a time, in offset order, so a conversation's messages keep their order.
 */
@ApplicationScoped
public class MessageGate {

    public static final String INBOUND = "chat-inbound";
    public static final String MODERATED = "chat-moderated";
    public static final String AUDIT = "audit-events";
    static final String VERDICTS = "chat.moderation.verdicts";
    static final String RECALLED = "chat.moderation.verdicts.recalled";
    static final String MALFORMED = "chat.moderation.inbound.malformed";

    private static final Logger LOG = Logger.getLogger(MessageGate.class);

    private final PolicyPipeline pipeline;
    private final VerdictMemory memory;
    private final MutinyEmitter<String> moderated;
    private final ModerationEvents events;
    private final Event<Violation> violations;
    private final StaffDirectory staff;
    private final ModerationConfig.Retry retry;
    private final MeterRegistry registry;
    private final Counter recalled;
    private final Counter malformed;
    private final WarningThrottle malformedWarnings = new WarningThrottle(Duration.ofSeconds(30));
    private final WarningThrottle retryWarnings = new WarningThrottle(Duration.ofSeconds(30));

    public MessageGate(PolicyPipeline pipeline, VerdictMemory memory,
            @Channel(MODERATED) MutinyEmitter<String> moderated, ModerationEvents events, Event<Violation> violations,
            StaffDirectory staff, ModerationConfig config, MeterRegistry registry) {
        this.pipeline = pipeline;
        this.memory = memory;
        this.moderated = moderated;
        this.events = events;
        this.violations = violations;
        this.staff = staff;
        this.retry = config.retry();
        this.registry = registry;
        this.recalled = registry.counter(RECALLED);
        this.malformed = registry.counter(MALFORMED);
        LOG.infof("message gate: policies %s", pipeline.ids());
    }

    @Incoming(INBOUND)
    public Uni<Void> moderate(ConsumerRecord<String, String> record) {
        InboundMessage message = parse(record);
        if (message == null) {
            // Nothing can be delivered or rejected without its ids; holding the partition for it
            // would stop every conversation behind it. Counted and skipped (acknowledged).
            return Uni.createFrom().voidItem();
        }
        // Staff ids are remembered so moderators cannot ban them by mistake; never waited for.
        staff.saw(message.sender().userId(), message.sender().roles()).subscribe().with(v -> {}, t -> {});
        return decide(message).chain(decision -> publish(message, decision));
    }

    private InboundMessage parse(ConsumerRecord<String, String> record) {
        InboundMessage message = null;
        String problem;
        try {
            message = record.value() == null ? null : EventJson.read(record.value(), InboundMessage.class);
            problem = message == null ? "empty value" : "messageId, conversationId, sender.userId or connectionId missing";
        } catch (JsonProcessingException e) {
            // Line and column only: the parser's message may quote the payload, text included.
            problem = e.getLocation() == null ? "not a chat.inbound.v1 payload"
                    : "not a chat.inbound.v1 payload (line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ")";
        }
        if (message != null && message.isComplete()) {
            return message;
        }
        malformed.increment();
        if (malformedWarnings.permit()) {
            LOG.warnf("skipped a malformed record at %s-%d offset %d: %s", record.topic(), record.partition(),
                    record.offset(), problem);
        }
        return null;
    }

    /** The remembered decision for a redelivered message; otherwise the pipeline's, remembered. */
    private Uni<Decision> decide(InboundMessage message) {
        return memory.recall(message.messageId())
                .onItem().ifNotNull().invoke(() -> recalled.increment())
                .onItem().ifNull().switchTo(() -> evaluate(message)
                        .chain(decision -> memory.remember(message.messageId(), decision)
                                // Another consumer's earlier decision won the race: it fired the violation.
                                .invoke(kept -> {
                                    if (kept == decision) {
                                        violation(message, kept);
                                    }
                                }))
                        .invoke(decision -> count(message, decision)));
    }

    /**
     * Blocks that protect the sender or others without saying the sender means harm: their own
     * card number in a queue set to block, a display name that reads like staff ("Agent Smith",
     * refused on every message by design). Counting them would mute and then ban honest people.
     */
    static boolean notHostile(String reason) {
        return reason.startsWith("sensitive_data.") || reason.startsWith("impersonation.") || reason.startsWith("policy_error.");
    }

    /** Protocol codes of a BLOCK that are consequences of earlier violations, not new ones. */
    static final Set<String> CONSEQUENCES = Set.of("banned", "muted");

    /**
     * Fires the violation of a fresh BLOCK. The first reason of a BLOCK is its protocol code
     * whatever detail codes follow it (PolicyPipeline), so only {@code reasons().getFirst()} is read.
     */
    private void violation(InboundMessage message, Decision decision) {
        if (decision.verdict() != Verdict.BLOCK || decision.reasons().isEmpty()) {
            return;
        }
        String code = decision.reasons().getFirst();
        if (CONSEQUENCES.contains(code) || decision.reasons().stream().anyMatch(MessageGate::notHostile)) {
            return;
        }
        violations.fireAsync(new Violation(message.sender().userId(), message.guestFingerprint(), code, "message"));
    }

    private Uni<Decision> evaluate(InboundMessage message) {
        return pipeline.evaluate(message)
                .onFailure().invoke(failure -> {
                    if (retryWarnings.permit()) {
                        LOG.warnf("cannot moderate message %s yet, retrying for up to %s: %s",
                                message.messageId(), retry.giveUpAfter(), failure.toString());
                    }
                })
                .onFailure().retry().withBackOff(retry.initialBackoff(), retry.maxBackoff())
                .expireIn(retry.giveUpAfter().toMillis())
                .onFailure().invoke(failure -> LOG.errorf(
                        "gave up moderating message %s after %s; failing the channel so it is redelivered: %s",
                        message.messageId(), retry.giveUpAfter(),
                        // Mutiny wraps the last failure in "retries exhausted".
                        (failure.getCause() != null ? failure.getCause() : failure).toString()));
    }

    private void count(InboundMessage message, Decision decision) {
        String reason = decision.reasons().isEmpty() ? "none" : decision.reasons().getFirst();
        registry.counter(VERDICTS, "verdict", decision.verdict().name(), "reason", reason).increment();
        LOG.debugf("message %s in conversation %s: %s %s", message.messageId(), message.conversationId(),
                decision.verdict(), decision.reasons());
    }

    /** Completes once the broker has acknowledged every record this message produces. */
    private Uni<Void> publish(InboundMessage message, Decision decision) {
        Uni<Void> verdict = moderated.sendMessage(KafkaRecord.of(message.conversationId(),
                EventJson.write(ModeratedMessage.of(message, decision))));
        AuditEvent event = switch (decision.verdict()) {
            case ALLOW -> null;
            case BLOCK -> AuditEvent.messageRejected(message, decision);
            case REDACT -> AuditEvent.messageRedacted(message, decision);
        };
        if (event == null) {
            return verdict;
        }
        return Uni.combine().all().unis(verdict, events.audit(event)).discardItems();
    }
}
