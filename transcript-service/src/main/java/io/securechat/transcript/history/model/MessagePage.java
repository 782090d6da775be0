package io.securechat.transcript.history.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.UUID;

/** A page of history: messages with seq above afterSeq in seq order; {@code nextAfterSeq} continues it. */
@JsonPropertyOrder({"conversationId", "messages", "hasMore", "nextAfterSeq", "erased"})
public record MessagePage(UUID conversationId, List<MessageFrame> messages, boolean hasMore, long nextAfterSeq,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Boolean erased) {

    public MessagePage(UUID conversationId, List<MessageFrame> messages, boolean hasMore, long nextAfterSeq) {
        this(conversationId, messages, hasMore, nextAfterSeq, null);
    }
}
