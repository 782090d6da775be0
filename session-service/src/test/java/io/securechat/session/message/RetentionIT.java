package io.securechat.session.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.securechat.session.message.service.RetentionPurge;
import io.securechat.session.testing.LiveConversationTest;
import io.securechat.session.testing.LiveConversationsProfile;
import io.securechat.session.testing.TestUser;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The temporary message copies are purged after their retention; newer ones stay. */
@QuarkusTest
@TestProfile(LiveConversationsProfile.class)
class RetentionIT extends LiveConversationTest {

    @Inject
    RetentionPurge purge;

    @Inject
    RetentionConfig config;

    @Test
    void messagesPastTheirRetentionAreDeleted() {
        TestUser customer = present(TestUser.customer());
        UUID id = kafka.start(customer, LiveConversationsProfile.MANUAL_QUEUE);
        var old = kafka.moderated(id, customer, "ALLOW", List.of());
        var recent = kafka.moderated(id, customer, "ALLOW", List.of());
        messages.await("recent sequenced", r -> recent.get("messageId").asText().equals(r.value().path("messageId").asText()));
        UUID oldId = UUID.fromString(old.get("messageId").asText());
        update("UPDATE messages SET sent_at = $2 WHERE message_id = $1", oldId,
                OffsetDateTime.now().minus(config.messages()).minusHours(1));

        int deleted = purge.purgeExpired().await().atMost(Duration.ofSeconds(60));

        assertTrue(deleted >= 1);
        assertEquals(0L, row("SELECT count(*) AS n FROM messages WHERE message_id = $1", oldId).getLong("n"));
        assertEquals(1L, row("SELECT count(*) AS n FROM messages WHERE conversation_id = $1", id).getLong("n"));
        assertEquals("2", conversationColumn(id, "last_seq"), "seq is never reused after a purge");
        kafka.simple("close", id, customer);
        awaitFrame(customer, "conversation.closed", id);
    }
}
