package io.securechat.moderation.message;

import io.securechat.moderation.pipeline.Decision;
import io.securechat.moderation.pipeline.Redaction;
import io.securechat.moderation.pipeline.Verdict;
import java.time.Instant;
import java.util.List;

/** A {@code chat.moderated.v1} record: the inbound fields plus the verdict (docs/events.md). */
public record ModeratedMessage(int v, String messageId, String clientMsgId, String conversationId,
        InboundMessage.Sender sender, String text, List<String> attachmentIds, String gatewayNode,
        String connectionId, Instant receivedAt, Verdict verdict, List<String> reasons,
        List<Redaction> redactions, Instant moderatedAt) {

    static ModeratedMessage of(InboundMessage in, Decision decision) {
        return new ModeratedMessage(1, in.messageId(), in.clientMsgId(), in.conversationId(), in.sender(),
                decision.apply(in.text()), in.attachmentIds(), in.gatewayNode(), in.connectionId(),
                in.receivedAt(), decision.verdict(), decision.reasons(), decision.redactions(),
                decision.decidedAt());
    }
}
