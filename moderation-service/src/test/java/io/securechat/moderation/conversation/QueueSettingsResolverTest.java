package io.securechat.moderation.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.message.Messages;
import io.securechat.moderation.pipeline.QueueSettings;
import io.securechat.moderation.policy.PolicyConfig;
import io.securechat.moderation.policy.TestConfig;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueSettingsResolverTest {

    private final List<String> lookups = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** Queues from a map instead of PostgreSQL. */
    private ConversationQueues queues(Map<String, String> known) {
        return new ConversationQueues(null, Duration.ofSeconds(1), new ConversationQueues.Cache(10, Duration.ZERO, () -> 0)) {
            @Override
            public Uni<String> queueOf(String conversationId) {
                lookups.add(conversationId);
                if (conversationId.equals("broken")) {
                    return Uni.createFrom().failure(new IllegalStateException("database down"));
                }
                return Uni.createFrom().item(known.get(conversationId));
            }
        };
    }

    private static InboundMessage in(String conversationId) {
        InboundMessage m = Messages.signedIn("u", "hi");
        return new InboundMessage(1, m.messageId(), m.clientMsgId(), conversationId, m.sender(), m.text(), List.of(),
                m.gatewayNode(), m.connectionId(), m.receivedAt());
    }

    @Test
    void withoutQueueSettingsNothingIsLookedUp() {
        var resolver = new QueueSettingsResolver(queues(Map.of("c", "billing")), TestConfig.defaults(), registry);
        assertEquals(QueueSettings.DEFAULTS, resolver.settingsFor(in("c")).await().indefinitely());
        assertEquals(List.of(), lookups);
        assertEquals(Map.of(), resolver.disabledByQueue());
    }

    @Test
    void aKnownQueueGetsItsSettingsAnUnknownConversationTheDefaults() {
        PolicyConfig config = TestConfig.policies(Map.of("chat.policy.queues.\"billing\".sensitive-data.action", "block",
                "chat.policy.queues.\"sales\".disabled", "spam"));
        var resolver = new QueueSettingsResolver(queues(Map.of("c-billing", "billing", "c-sales", "sales", "c-support",
                "support")), config, registry);

        QueueSettings billing = resolver.settingsFor(in("c-billing")).await().indefinitely();
        assertEquals("billing", billing.queue());
        assertEquals("block", billing.option("sensitive-data", "action", "redact"));
        assertEquals(true, billing.enabled("spam"));

        QueueSettings sales = resolver.settingsFor(in("c-sales")).await().indefinitely();
        assertEquals(false, sales.enabled("spam"));
        assertEquals("redact", sales.option("sensitive-data", "action", "redact"));

        QueueSettings support = resolver.settingsFor(in("c-support")).await().indefinitely();
        assertEquals(new QueueSettings("support", Set.of(), Map.of()), support);

        assertEquals(QueueSettings.DEFAULTS, resolver.settingsFor(in("c-new")).await().indefinitely());
        assertEquals(1.0, registry.counter(QueueSettingsResolver.UNKNOWN).count());
        assertEquals(Map.of("billing", Set.of(), "sales", Set.of("spam")), resolver.disabledByQueue());
    }

    @Test
    void aFailedLookupFailsTheMessageSoTheGateRetriesIt() {
        var resolver = new QueueSettingsResolver(queues(Map.of()), TestConfig.policies(
                Map.of("chat.policy.queues.\"billing\".sensitive-data.action", "block")), registry);
        assertThrows(IllegalStateException.class, () -> resolver.settingsFor(in("broken")).await().indefinitely());
    }
}
