package io.securechat.session.messaging.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A {@code chat.commands.v1} record (docs/events.md): the common fields and the extra fields
 * of every type, absent where the type has none.
 */
public record CommandRecord(
        int v,
        UUID commandId,
        String type,
        UUID conversationId,
        ActorRecord actor,
        String gatewayNode,
        String connectionId,
        Instant issuedAt,
        String clientRef,
        String queue,
        String subject,
        Long afterSeq,
        String toQueue,
        String toAgent,
        Long seq,
        String status,
        Integer capacity) {

    public static final String START = "start";
    public static final String SUBSCRIBE = "subscribe";
    public static final String ACCEPT = "accept";
    public static final String TRANSFER = "transfer";
    public static final String CLOSE = "close";
    public static final String TYPING = "typing";
    public static final String READ = "read";
    public static final String AGENT_STATUS = "agent.status";
    public static final String CONNECTION_CLOSED = "connection.closed";

    /** The WebSocket frame type the command came from, for the {@code ref} of an error frame. */
    public String frameType() {
        return switch (type) {
            case START, SUBSCRIBE, ACCEPT, TRANSFER, CLOSE -> "conversation." + type;
            default -> type;
        };
    }
}
