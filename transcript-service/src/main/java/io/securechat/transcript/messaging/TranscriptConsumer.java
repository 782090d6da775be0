package io.securechat.transcript.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Timer;
import io.securechat.transcript.conversation.service.ConversationStore;
import io.securechat.transcript.message.service.DataKeys;
import io.securechat.transcript.message.service.MessageStore;
import io.securechat.transcript.messaging.event.ConversationEvent;
import io.securechat.transcript.messaging.event.MessageEvent;
import io.securechat.transcript.metrics.TranscriptMetrics;
import io.securechat.transcript.metrics.TranscriptMetrics.StoreOutcome;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code chat.messages.v1} and {@code chat.conversations.v1}, one record at a time, and
 * stores them. At-least-once: a record is acknowledged (its offset committed by the throttled
 * strategy) only after its database transaction committed; redeliveries are absorbed by the
 * idempotent store (messageId). A transient failure (database down) is retried with back-off
 * while the partition waits, so nothing is skipped; a record that can never be stored (not JSON,
 * missing ids, data the database refuses) is skipped, counted, and logged with topic, partition
 * and offset only, never its payload.
 */
@ApplicationScoped
public class TranscriptConsumer {

    private static final Logger LOG = Logger.getLogger(TranscriptConsumer.class);

    private final ObjectMapper json;
    private final DataKeys dataKeys;
    private final MessageStore messages;
    private final ConversationStore conversations;
    private final TranscriptMetrics metrics;
    private final io.securechat.transcript.conversation.service.ConversationInfo info;

    public TranscriptConsumer(ObjectMapper json, DataKeys dataKeys, MessageStore messages, ConversationStore conversations,
            TranscriptMetrics metrics, io.securechat.transcript.conversation.service.ConversationInfo info) {
        this.info = info;
        this.json = json;
        this.dataKeys = dataKeys;
        this.messages = messages;
        this.conversations = conversations;
        this.metrics = metrics;
    }

    /** A record that can never be stored; skipped so it does not hold its partition. */
    static final class UnusableRecord extends Exception {
        UnusableRecord(String reason) {
            super(reason, null, false, false);
        }
    }

    @Incoming(Topics.CHANNEL_IN)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        Uni<Void> work;
        try {
            work = switch (record.topic()) {
                case Topics.MESSAGES -> message(read(record.value(), MessageEvent.class));
                case Topics.CONVERSATIONS -> conversation(read(record.value(), ConversationEvent.class));
                default -> throw new UnusableRecord("not a topic of this service");
            };
        } catch (UnusableRecord e) {
            return skip(record, e.getMessage());
        }
        return work
                .onFailure(TranscriptConsumer::permanent).recoverWithUni(t -> skip(record, t.getClass().getSimpleName()))
                .onFailure().invoke(t -> LOG.warnf("%s: storing failed, retrying: %s", where(record), describe(t)))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private Uni<Void> message(MessageEvent m) throws UnusableRecord {
        String problem = m.problem();
        if (problem != null) {
            throw new UnusableRecord(problem);
        }
        // Deferred: each retry starts again from the data key, in new transactions. The tombstone is checked inside
        // both transactions, under the conversation's lock (ConversationLocks): a purge or erasure is never followed
        // by a new key or message.
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = metrics.startStore();
            return dataKeys.forWriting(m.conversationId())
                    .chain(key -> key == null ? Uni.createFrom().item(MessageStore.Outcome.TOMBSTONED) : messages.store(m, key))
                    .invoke(outcome -> {
                        if (outcome == MessageStore.Outcome.TOMBSTONED) {
                            // Purged or erased: a late or redelivered record must not bring it back (nor a new key).
                            LOG.infof("message %s not stored: conversation %s was purged or erased", m.messageId(),
                                    m.conversationId());
                        } else {
                            metrics.stopStore(sample);
                        }
                        metrics.stored(switch (outcome) {
                            case STORED -> StoreOutcome.STORED;
                            case DUPLICATE -> StoreOutcome.DUPLICATE;
                            case ANOMALY, TOMBSTONED -> StoreOutcome.SKIPPED;
                        });
                    });
        }).replaceWithVoid();
    }

    private Uni<Void> conversation(ConversationEvent e) throws UnusableRecord {
        String problem = e.problem();
        if (problem != null) {
            throw new UnusableRecord(problem);
        }
        return Uni.createFrom().deferred(() -> info.tombstoned(e.conversationId())).chain(gone -> gone
                ? Uni.createFrom().voidItem().invoke(() -> metrics.conversationEvent("stale"))
                : conversations.apply(e).invoke(n -> metrics.conversationEvent(n > 0 ? "applied" : "stale")).replaceWithVoid());
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
                    + " at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr() + " column "
                    + e.getLocation().getColumnNr()) + ")");
        }
    }

    /** Data the database refuses whatever we do (a NUL in text, a too-long value): retrying cannot help. */
    static boolean permanent(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"))) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** A failure for the log: its class and, for database errors, the SQLSTATE; never values of the record. */
    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PgException pg) {
                return "database error " + pg.getSqlState();
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return t.getClass().getSimpleName();
    }

    private Uni<Void> skip(ConsumerRecord<String, String> record, String reason) {
        LOG.errorf("%s: record skipped: %s", where(record), reason);
        if (Topics.MESSAGES.equals(record.topic())) {
            metrics.stored(StoreOutcome.SKIPPED);
        } else {
            metrics.conversationEvent("skipped");
        }
        return Uni.createFrom().voidItem();
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
