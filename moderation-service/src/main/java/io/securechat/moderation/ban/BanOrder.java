package io.securechat.moderation.ban;

import java.time.Instant;
import java.util.UUID;

/**
 * A ban or mute to impose, already checked ({@link BanRequest#check}, or built by reputation).
 *
 * @param expiresAt null: until lifted
 * @param note free text of the moderator: stored, never audited or published
 */
public record BanOrder(String kind, String subjectKind, String subject, String reason, Instant expiresAt, UUID reportId,
        String note) {}
