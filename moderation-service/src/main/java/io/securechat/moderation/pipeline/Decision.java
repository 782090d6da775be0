package io.securechat.moderation.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * The pipeline's verdict on one message. It is what the gate remembers per messageId, so it
 * holds no message text: the text to deliver is derived again from the inbound record.
 *
 * @param reasons on BLOCK the blocking policy's protocol error code first (what the sender is told:
 *        session-service reads only {@code reasons.getFirst()}), then that policy's detail codes
 *        ({@code phishing.lookalike_domain}, ...); on REDACT the detail codes of every redacting
 *        policy ({@code sensitive_data.card}, ...); empty on ALLOW. Codes only, never text.
 * @param decidedAt becomes {@code moderatedAt}, so a redelivered record is moderated identically
 */
public record Decision(Verdict verdict, List<String> reasons, List<Redaction> redactions, Instant decidedAt) {

    /** Masks each redacted character, keeping the length so spans stay valid for the delivered text. */
    static final char MASK = '*';

    public Decision {
        reasons = List.copyOf(reasons);
        redactions = List.copyOf(redactions);
    }

    /** The text to deliver: unchanged, masked, or empty on BLOCK (a blocked text travels nowhere). */
    public String apply(String text) {
        if (verdict == Verdict.BLOCK || text == null) {
            return "";
        }
        if (redactions.isEmpty()) {
            return text;
        }
        char[] chars = text.toCharArray();
        for (Redaction r : redactions) {
            // A span past the end masks to the end rather than failing the message.
            for (int i = r.start(); i < Math.min(r.end(), chars.length); i++) {
                chars[i] = MASK;
            }
        }
        return new String(chars);
    }
}
