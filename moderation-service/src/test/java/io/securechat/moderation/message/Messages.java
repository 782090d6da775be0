package io.securechat.moderation.message;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Inbound messages for unit tests. */
public final class Messages {

    private Messages() {}

    public static InboundMessage signedIn(String userId, String text) {
        return new InboundMessage(1, UUID.randomUUID().toString(), "c-1", UUID.randomUUID().toString(),
                new InboundMessage.Sender(userId, List.of("customer"), "Ada", false, null), text, List.of(),
                "gw-1", "gw-1:conn", Instant.parse("2026-11-25T08:00:00.123Z"));
    }
}
