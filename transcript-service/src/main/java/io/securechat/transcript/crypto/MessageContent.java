package io.securechat.transcript.crypto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Everything of a message that could say something about what was said or by whom, encrypted
 * as one JSON blob: the text (already redacted by moderation), the redaction spans, the sender's
 * display name and the attachment ids. Nothing of it is stored in a plaintext column.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"v", "text", "redactions", "displayName", "attachmentIds"})
public record MessageContent(int v, String text, JsonNode redactions, String displayName, List<String> attachmentIds) {

    public MessageContent {
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
    }
}
