package io.securechat.moderation.pipeline;

/**
 * A CDI event fired (asynchronously) whenever a user breaks a rule: a blocked message, a
 * malicious attachment. Reputation observes it; whoever detects a violation only fires it.
 *
 * @param userId the sender's stable id (Keycloak subject, or the guest's id)
 * @param guestFingerprint the guest's fingerprint hash, null for signed-in users
 * @param reason the error code of the violation ({@code phishing}, {@code malware}, ...), never text
 * @param source where it was seen: {@code message} or {@code attachment}
 */
public record Violation(String userId, String guestFingerprint, String reason, String source) {}
