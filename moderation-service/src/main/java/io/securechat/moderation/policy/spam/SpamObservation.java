package io.securechat.moderation.policy.spam;

import java.time.Duration;

/**
 * What the spam counters record about one message: fingerprints and counts, never its text.
 *
 * @param crossHash fingerprint for the cross-conversation count, or null when that check does not
 *        apply (an agent's message, a text too short to be spam across conversations)
 * @param links how many links the message holds
 * @param repeatHash fingerprint for the in-a-row count in this conversation
 */
public record SpamObservation(String userId, String conversationId, String messageId, String crossHash, int links,
        String repeatHash, Duration crossWindow, Duration linkWindow, Duration repeatWindow) {}
