package io.securechat.gateway.messaging;

/** Channel names of the gateway (docs/events.md has the payloads). */
public final class Topics {
    public static final String INBOUND = "inbound";
    public static final String COMMANDS = "commands";
    public static final String AUDIT = "audit";
    public static final String DELIVERY = "delivery";
    public static final String MODERATION_ACTIONS = "moderation-actions";

    private Topics() {}
}
