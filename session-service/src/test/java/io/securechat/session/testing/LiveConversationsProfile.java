package io.securechat.session.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The configuration of the live-conversation tests. The shared stack also carries other
 * engineers' records: their conversations in {@code support} and {@code billing} must not be
 * given to our test agents, so those queues are manual here, and automatic assignment is
 * tested in queues only these tests use.
 */
public class LiveConversationsProfile implements QuarkusTestProfile {

    public static final String AUTO_QUEUE = "it-auto";
    public static final String MANUAL_QUEUE = "it-manual";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "chat.queues.support.auto-assign", "false",
                "chat.queues.billing.auto-assign", "false",
                "chat.queues." + AUTO_QUEUE + ".display-name", "Integration tests, automatic",
                "chat.queues." + MANUAL_QUEUE + ".display-name", "Integration tests, manual",
                "chat.queues." + MANUAL_QUEUE + ".auto-assign", "false");
    }
}
