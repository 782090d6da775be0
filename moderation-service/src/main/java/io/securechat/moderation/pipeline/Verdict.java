package io.securechat.moderation.pipeline;

/** What happens to a message: delivered as is, delivered with parts masked, or not delivered. */
public enum Verdict {
    ALLOW, REDACT, BLOCK
}
