package io.securechat.transcript.messaging;

/** Topics and channels of transcript-service (docs/events.md). */
public final class Topics {

    public static final String MESSAGES = "chat.messages.v1";
    public static final String CONVERSATIONS = "chat.conversations.v1";
    public static final String AUDIT = "audit.events.v1";

    /** In: accepted messages and lifecycle events, one consumer (README, "Delivery semantics"). */
    public static final String CHANNEL_IN = "transcript-in";
    public static final String CHANNEL_AUDIT = "audit-out";

    private Topics() {}
}
