package io.securechat.transcript.conversation.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.securechat.transcript.conversation.repository.ConversationRepository;
import io.securechat.transcript.messaging.event.ConversationEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Keeps the {@code conversations} table from {@code chat.conversations.v1}: customer, current agent, state. */
@ApplicationScoped
public class ConversationStore {

    private final ConversationRepository conversations;

    public ConversationStore(ConversationRepository conversations) {
        this.conversations = conversations;
    }

    /** 1 when the event changed the row, 0 when a later event was applied already. */
    @WithTransaction
    public Uni<Integer> apply(ConversationEvent e) {
        String state = e.state();
        return conversations.apply(e.conversationId(), e.queue(), e.customerId(), e.agentId(), state,
                ConversationEvent.STARTED.equals(e.type()) ? e.occurredAt() : null,
                "CLOSED".equals(state) ? e.occurredAt() : null, e.occurredAt());
    }
}
