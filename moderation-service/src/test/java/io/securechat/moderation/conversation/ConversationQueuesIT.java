package io.securechat.moderation.conversation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.platform.schema.SchemaMigrator;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The conversation -> queue map kept from the real chat.conversations.v1 topic in the real PostgreSQL. */
@QuarkusTest
class ConversationQueuesIT {

    @Inject
    SchemaMigrator migrator;

    @Inject
    ConversationQueues queues;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    private ConversationEvents events;

    @BeforeEach
    void setUp() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
        events = new ConversationEvents();
    }

    @AfterEach
    void tearDown() {
        events.close();
    }

    private String stored(String conversationId) {
        var rows = pool.preparedQuery("SELECT queue FROM conversation_queues WHERE conversation_id = $1")
                .execute(Tuple.of(conversationId)).await().atMost(Duration.ofSeconds(10));
        return rows.iterator().hasNext() ? rows.iterator().next().getString("queue") : null;
    }

    private double skipped() {
        Counter c = registry.find(ConversationEventConsumer.EVENTS).tag("outcome", "skipped").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void eventsMoveAConversationForwardNeverBack() {
        String id = UUID.randomUUID().toString();
        Instant t0 = Instant.now();
        events.send(ConversationEvents.event("started", id, "support", t0));
        await().atMost(Duration.ofSeconds(60)).until(() -> "support".equals(stored(id)));
        events.send(ConversationEvents.event("transferred", id, "billing", t0.plusSeconds(5)));
        await().atMost(Duration.ofSeconds(60)).until(() -> "billing".equals(stored(id)));
        assertEquals("billing", queues.queueOf(id).await().atMost(Duration.ofSeconds(5)));

        // A late copy of the first event, then a newer event behind it: only the newer one moves the row.
        events.send(ConversationEvents.event("queued", id, "support", t0.plusSeconds(1)));
        events.send(ConversationEvents.event("closed", id, "sales", t0.plusSeconds(9)));
        await().atMost(Duration.ofSeconds(60)).until(() -> "sales".equals(stored(id)));
        assertEquals("sales", queues.queueOf(id).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void anUnusableRecordIsSkippedAndTheNextOneStored() {
        double before = skipped();
        String id = UUID.randomUUID().toString();
        events.sendRaw(id, "[]");
        events.sendRaw(id, "{\"v\":1,\"type\":\"queued\",\"conversationId\":\"" + id + "\",\"occurredAt\":\"2026-11-25T08:00:00Z\"}");
        events.send("queued", id, "support");
        await().atMost(Duration.ofSeconds(60)).until(() -> "support".equals(stored(id)));
        assertTrue(skipped() >= before + 2, "both unusable records counted");
    }

    @Test
    void anUnknownConversationHasNoQueue() {
        String id = UUID.randomUUID().toString();
        assertNull(queues.queueOf(id).await().atMost(Duration.ofSeconds(5)));
        assertFalse(queues.record(new ConversationEvent(1, "e", "queued", id, "support", Instant.EPOCH))
                .chain(() -> queues.record(new ConversationEvent(1, "e", "queued", id, "billing", Instant.EPOCH.minusSeconds(1))))
                .await().atMost(Duration.ofSeconds(5)), "an older event is not stored");
        assertEquals("support", stored(id));
    }
}
