package io.securechat.moderation.scan;

import java.util.List;
import java.util.UUID;

/**
 * What the caller says about an upload besides its bytes.
 *
 * @param attachmentId the id the caller will store it under (the audit resource); a fresh one when it sent none
 * @param size the length the caller announced, or null (then the body's end decides)
 * @param guestFingerprint the guest's fingerprint hash, null for signed-in users
 * @param roles the uploader's chat roles, for the audit actor
 */
public record ScanRequest(String filename, String declaredType, Long size, UUID conversationId, UUID attachmentId,
        String uploaderId, String guestFingerprint, List<String> roles) {}
