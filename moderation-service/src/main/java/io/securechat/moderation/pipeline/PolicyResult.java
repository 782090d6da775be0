package io.securechat.moderation.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What one policy says about one message.
 *
 * <p>{@code reason} is an error code of the WebSocket protocol ({@code banned}, {@code muted},
 * {@code rate_limited}, {@code blocked_content}, {@code phishing}, ...): required for BLOCK, since
 * it is what the sender is told; optional for REDACT. {@code details} are the policy's own fine
 * codes ({@code sensitive_data.card}, {@code phishing.lookalike_domain}, ...): they say which rule
 * fired, for audit, metrics and moderators, and never carry text.
 */
public record PolicyResult(Verdict verdict, String reason, List<String> details, List<Redaction> redactions) {

    private static final PolicyResult ALLOW = new PolicyResult(Verdict.ALLOW, null, List.of(), List.of());

    public PolicyResult {
        details = details == null ? List.of() : List.copyOf(details);
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
        return new PolicyResult(Verdict.BLOCK, reason, List.of(), List.of());
    }

    /** A BLOCK told to the sender as {@code reason}, with the detail codes of what fired. */
    public static PolicyResult block(String reason, List<String> details) {
        return new PolicyResult(Verdict.BLOCK, reason, details, List.of());
    }

    public static PolicyResult redact(String reason, List<Redaction> redactions) {
        return new PolicyResult(Verdict.REDACT, reason, List.of(), redactions);
    }

    /** A REDACT named by its detail codes only (the sender is told nothing: the message is delivered). */
    public static PolicyResult mask(List<Redaction> redactions, List<String> details) {
        return new PolicyResult(Verdict.REDACT, null, details, redactions);
    }

    /**
     * The codes this result adds to the decision's {@code reasons}: the protocol code first (when
     * there is one), then the detail codes, each once.
     */
    public List<String> codes() {
        LinkedHashSet<String> codes = new LinkedHashSet<>();
        if (reason != null && !reason.isBlank()) {
            codes.add(reason);
        }
        codes.addAll(details);
        return new ArrayList<>(codes);
    }
}
