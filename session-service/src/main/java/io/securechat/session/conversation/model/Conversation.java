package io.securechat.session.conversation.model;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A conversation as stored, with the supervisors who subscribed to it. */
public record Conversation(
        UUID id,
        String queue,
        String customerId,
        String customerDisplayName,
        boolean customerGuest,
        String agentId,
        String agentDisplayName,
        ConversationState state,
        long lastSeq,
        String clientRef,
        String subject,
        Instant queuedAt,
        Instant createdAt,
        Instant lastActivityAt,
        List<String> supervisors) {

    public Conversation {
        supervisors = supervisors == null ? List.of() : List.copyOf(supervisors);
    }

    public Relation relationOf(String userId) {
        if (customerId.equals(userId)) {
            return Relation.CUSTOMER;
        }
        if (userId.equals(agentId)) {
            return Relation.AGENT;
        }
        return supervisors.contains(userId) ? Relation.SUPERVISOR : Relation.NONE;
    }

    /** Everyone who gets the conversation's frames: the customer, the agent, subscribed supervisors. */
    public Set<String> participants() {
        Set<String> out = new LinkedHashSet<>();
        out.add(customerId);
        if (agentId != null) {
            out.add(agentId);
        }
        out.addAll(supervisors);
        return out;
    }

    public Set<String> participantsExcept(String userId) {
        Set<String> out = participants();
        out.remove(userId);
        return out;
    }

    public QueueSnapshot.Entry queueEntry() {
        return new QueueSnapshot.Entry(id, customerId, clientRef, queuedAt != null ? queuedAt : createdAt);
    }
}
