package io.securechat.transcript.privacy.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * A legal hold: on one conversation or on a subject (every conversation where that user is the
 * customer). While active (not lifted) it stops purge and erasure. Coverage is pure and
 * unit-tested ({@code LegalHoldTest}).
 */
@JsonPropertyOrder({"holdId", "conversationId", "subjectId", "reason", "createdBy", "createdAt", "liftedAt", "liftedBy"})
public record LegalHold(UUID holdId, UUID conversationId, String subjectId, String reason, String createdBy,
        Instant createdAt, Instant liftedAt, String liftedBy) {

    public boolean active() {
        return liftedAt == null;
    }

    /** Whether this hold covers a conversation with this customer. */
    public boolean covers(UUID conversation, String customerId) {
        if (!active()) {
            return false;
        }
        if (conversationId != null) {
            return conversationId.equals(conversation);
        }
        return subjectId != null && subjectId.equals(customerId);
    }

    /** Whether this hold stops the erasure of a subject whose conversations (as customer) are these. */
    public boolean coversSubject(String subject, Collection<UUID> conversationsOfSubject) {
        if (!active()) {
            return false;
        }
        return subject.equals(subjectId) || (conversationId != null && conversationsOfSubject.contains(conversationId));
    }

    /** The first active hold covering a conversation, if any. */
    public static Optional<LegalHold> covering(Collection<LegalHold> holds, UUID conversation, String customerId) {
        return holds.stream().filter(h -> h.covers(conversation, customerId)).findFirst();
    }
}
