package io.securechat.session.messaging.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A {@code chat.moderated.v1} record: the inbound message plus moderation's verdict (docs/events.md). */
public record ModeratedRecord(
        int v,
        UUID messageId,
        String clientMsgId,
        UUID conversationId,
        ActorRecord sender,
        String text,
        List<String> attachmentIds,
        String gatewayNode,
        String connectionId,
        Instant receivedAt,
        String verdict,
        List<String> reasons,
        JsonNode redactions,
        Instant moderatedAt) {

    public static final String ALLOW = "ALLOW";
    public static final String REDACT = "REDACT";
    public static final String BLOCK = "BLOCK";

    public ModeratedRecord {
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}
