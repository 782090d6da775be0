package io.securechat.moderation.pipeline;

import java.util.List;

/**
 * What one policy says about one message. {@code reason} is an error code of the WebSocket
 * protocol ({@code banned}, {@code muted}, {@code rate_limited}, ...): required for BLOCK,
 * optional for REDACT.
 */
public record PolicyResult(Verdict verdict, String reason, List<Redaction> redactions) {

    private static final PolicyResult ALLOW = new PolicyResult(Verdict.ALLOW, null, List.of());

    public PolicyResult {
        redactions = List.copyOf(redactions);
        if (verdict == Verdict.BLOCK && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a BLOCK needs a reason code");
        }
        if (verdict == Verdict.REDACT && redactions.isEmpty()) {
            throw new IllegalArgumentException("a REDACT needs at least one span");
        }
    }

    public static PolicyResult allow() {
        return ALLOW;
    }

    public static PolicyResult block(String reason) {
        return new PolicyResult(Verdict.BLOCK, reason, List.of());
    }

    public static PolicyResult redact(String reason, List<Redaction> redactions) {
        return new PolicyResult(Verdict.REDACT, reason, redactions);
    }
}
