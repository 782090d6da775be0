package io.securechat.session.messaging;

/** The topics and channels of session-service (docs/architecture.md section 4). */
public final class Topics {

    public static final String COMMANDS = "chat.commands.v1";
    public static final String MODERATED = "chat.moderated.v1";
    public static final String MESSAGES = "chat.messages.v1";
    public static final String CONVERSATIONS = "chat.conversations.v1";
    public static final String AUDIT = "audit.events.v1";
    /** Followed by the gateway node id: one delivery topic per node. */
    public static final String DELIVERY_PREFIX = "chat.delivery.v1.";

    /** One channel reads both input topics, so a conversation's commands and messages share one consumer. */
    public static final String CHANNEL_IN = "session-in";
    public static final String CHANNEL_MESSAGES = "messages-out";
    public static final String CHANNEL_CONVERSATIONS = "conversations-out";
    public static final String CHANNEL_AUDIT = "audit-out";
    public static final String CHANNEL_DELIVERY = "delivery-out";

    private Topics() {}

    public static String delivery(String nodeId) {
        return DELIVERY_PREFIX + nodeId;
    }
}
