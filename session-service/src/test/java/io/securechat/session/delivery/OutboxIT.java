package io.securechat.session.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.securechat.session.delivery.model.Frames;
import io.securechat.session.delivery.repository.OutboxRepository;
import io.securechat.session.delivery.service.Effects;
import io.securechat.session.delivery.service.OutboxRelay;
import io.securechat.session.messaging.event.ConversationEvent;
import io.securechat.session.testing.LiveConversationTest;
import io.securechat.session.testing.LiveConversationsProfile;
import io.securechat.session.testing.TestUser;
import io.securechat.session.testing.TopicProbe.Rec;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What a crash between commit and publish leaves in the outbox is published later, once. */
@QuarkusTest
@TestProfile(LiveConversationsProfile.class)
class OutboxIT extends LiveConversationTest {

    @Inject
    OutboxRepository outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    ObjectMapper json;

    private long storeUnpublished(String source, UUID conversationId, Effects effects) {
        return pool.withTransaction(c -> outbox.claim(c, source, conversationId)
                        .call(id -> outbox.store(c, id, effects.outputs())))
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void theRelayPublishesRowsLeftUnpublished() {
        TestUser customer = present(TestUser.customer());
        UUID id = UUID.randomUUID();
        Effects effects = new Effects(json)
                .toUsers(id, List.of(customer.userId()),
                        new Frames.ConversationFrame(Frames.CLOSED, id, null, "support", null, null))
                .lifecycle(ConversationEvent.of(ConversationEvent.CLOSED, id, "support", customer.userId(), null, null, "idle"));
        long row = storeUnpublished("job:" + UUID.randomUUID(), id, effects);
        update("UPDATE outbox SET created_at = now() - interval '5 minutes' WHERE id = $1", row);

        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> relay.relayStale().await().atMost(Duration.ofSeconds(30)) == 0
                        && conversationRowPublished(row));

        Rec frame = awaitFrame(customer, "conversation.closed", id);
        assertEquals(List.of(customer.userId()), recipients(frame));
        assertEquals("idle", lifecycle.await("the stored event", event("closed", id)).value().path("reason").asText());
        assertNull(row("SELECT entries FROM outbox WHERE id = $1", row).getValue("entries"), "published rows keep no payload");
    }

    private boolean conversationRowPublished(long row) {
        return row("SELECT published_at FROM outbox WHERE id = $1", row).getValue("published_at") != null;
    }

    @Test
    void aRedeliveredCommandPublishesWhatItsFirstRunLeftAndDoesNotRunAgain() {
        TestUser customer = present(TestUser.customer());
        UUID id = kafka.start(customer, "support");
        awaitFrame(customer, "conversation.queued", id);

        // The first run of this close committed its outputs, then the instance died before publishing.
        var close = kafka.command("close", id, customer);
        Effects leftOver = new Effects(json).toUsers(id, List.of(customer.userId()),
                new Frames.ConversationFrame(Frames.CLOSED, id, "left-over", "support", null, null));
        storeUnpublished("command:" + close.get("commandId").asText(), id, leftOver);

        kafka.send(close); // the redelivery

        Rec frame = gw1.await("the left-over frame", frame("conversation.closed", id).and(to(customer)));
        assertEquals("left-over", frame(frame).path("clientRef").asText());
        assertEquals("QUEUED", conversationColumn(id, "state"), "the work did not run a second time");
        assertNotNull(row("SELECT published_at FROM outbox WHERE source = $1", "command:" + close.get("commandId").asText())
                .getValue("published_at"));
        assertTrue(lifecycle.matching(event("closed", id)).isEmpty());
        kafka.simple("close", id, customer);
        lifecycle.await("a new close is handled", event("closed", id));
    }
}
