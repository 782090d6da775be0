package io.securechat.session.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.session.agent.service.AgentService;
import io.securechat.session.conversation.service.ConversationService;
import io.securechat.session.message.service.MessageSequencer;
import io.securechat.session.messaging.event.CommandRecord;
import io.securechat.session.messaging.event.ModeratedRecord;
import io.securechat.session.metrics.SessionMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code chat.commands.v1} and {@code chat.moderated.v1} on one channel, one record at a
 * time. Both topics are keyed by conversationId with the same partition count, and the range
 * assignor gives partition N of both to the same consumer: so the commands and messages of a
 * conversation are handled in order by one consumer (README, "Ordering").
 *
 * <p>A record is acknowledged (its offset committed by the throttled strategy) only after its
 * database transaction committed and the broker acknowledged what it produced. A transient
 * failure (database, broker) is retried with back-off, holding the partition rather than
 * skipping a record; an unreadable record is skipped and counted.
 */
@ApplicationScoped
public class SessionConsumer {

    private static final Logger LOG = Logger.getLogger(SessionConsumer.class);
    private static final Set<String> NEEDS_CONVERSATION = Set.of(CommandRecord.START, CommandRecord.SUBSCRIBE,
            CommandRecord.ACCEPT, CommandRecord.TRANSFER, CommandRecord.CLOSE, CommandRecord.TYPING, CommandRecord.READ);

    private final ObjectMapper json;
    private final ConversationService conversations;
    private final AgentService agents;
    private final MessageSequencer sequencer;
    private final SessionMetrics metrics;

    public SessionConsumer(ObjectMapper json, ConversationService conversations, AgentService agents,
            MessageSequencer sequencer, SessionMetrics metrics) {
        this.json = json;
        this.conversations = conversations;
        this.agents = agents;
        this.sequencer = sequencer;
        this.metrics = metrics;
    }

    /** A record that can never be handled; skipped so it does not hold its partition. */
    static final class UnusableRecord extends Exception {
        UnusableRecord(String reason) {
            super(reason, null, false, false);
        }
    }

    @Incoming(Topics.CHANNEL_IN)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        Supplier<Uni<Void>> work;
        try {
            work = route(record);
        } catch (UnusableRecord e) {
            return skip(record, e.getMessage());
        }
        return Uni.createFrom().<Void>deferred(work::get)
                .onFailure(SessionConsumer::permanent).recoverWithUni(t -> skip(record, t.toString()))
                .onFailure().invoke(t -> LOG.warnf("%s: processing failed, retrying: %s", where(record), t.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private Supplier<Uni<Void>> route(ConsumerRecord<String, String> record) throws UnusableRecord {
        return switch (record.topic()) {
            case Topics.COMMANDS -> command(read(record.value(), CommandRecord.class));
            case Topics.MODERATED -> {
                ModeratedRecord m = read(record.value(), ModeratedRecord.class);
                check(m);
                yield () -> sequencer.handle(m);
            }
            default -> throw new UnusableRecord("not a topic of this service");
        };
    }

    private Supplier<Uni<Void>> command(CommandRecord cmd) throws UnusableRecord {
        if (cmd.commandId() == null || cmd.type() == null || cmd.actor() == null || cmd.actor().userId() == null) {
            throw new UnusableRecord("command without commandId, type or actor");
        }
        if (NEEDS_CONVERSATION.contains(cmd.type()) && cmd.conversationId() == null) {
            throw new UnusableRecord("command " + cmd.type() + " without conversationId");
        }
        if (!CommandRecord.CONNECTION_CLOSED.equals(cmd.type()) && (cmd.gatewayNode() == null || cmd.connectionId() == null)) {
            throw new UnusableRecord("command " + cmd.type() + " without gatewayNode or connectionId");
        }
        return switch (cmd.type()) {
            case CommandRecord.START -> () -> conversations.start(cmd);
            case CommandRecord.SUBSCRIBE -> () -> conversations.subscribe(cmd);
            case CommandRecord.ACCEPT -> () -> conversations.accept(cmd);
            case CommandRecord.TRANSFER -> () -> conversations.transfer(cmd);
            case CommandRecord.CLOSE -> () -> conversations.close(cmd);
            case CommandRecord.TYPING, CommandRecord.READ -> () -> conversations.signal(cmd);
            case CommandRecord.AGENT_STATUS -> () -> agents.status(cmd);
            case CommandRecord.CONNECTION_CLOSED -> () -> agents.connectionClosed(cmd);
            // Other types (user.report) are for other consumers of the topic.
            default -> () -> Uni.createFrom().voidItem();
        };
    }

    private static void check(ModeratedRecord m) throws UnusableRecord {
        if (m.messageId() == null || m.conversationId() == null || m.sender() == null || m.sender().userId() == null
                || m.gatewayNode() == null || m.connectionId() == null) {
            throw new UnusableRecord("moderated message without messageId, conversationId, sender or connection");
        }
        if (!Set.of(ModeratedRecord.ALLOW, ModeratedRecord.REDACT, ModeratedRecord.BLOCK).contains(m.verdict())) {
            throw new UnusableRecord("moderated message with an unknown verdict");
        }
    }

    private <T> T read(String value, Class<T> type) throws UnusableRecord {
        if (value == null) {
            throw new UnusableRecord("empty record");
        }
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            // The parser's message may quote the payload: only the kind of error and its location are logged.
            throw new UnusableRecord("not a readable " + type.getSimpleName() + " (" + e.getClass().getSimpleName()
                    + " at " + e.getLocation() + ")");
        }
    }

    /** Data the database refuses whatever we do (a NUL in text, a too-long value): retrying cannot help. */
    private static boolean permanent(Throwable t) {
        return t instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
    }

    private Uni<Void> skip(ConsumerRecord<String, String> record, String reason) {
        LOG.errorf("%s: record skipped: %s", where(record), reason);
        metrics.skipped(record.topic());
        return Uni.createFrom().voidItem();
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
