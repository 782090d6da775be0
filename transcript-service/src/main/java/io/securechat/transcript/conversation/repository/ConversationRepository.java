package io.securechat.transcript.conversation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.securechat.transcript.conversation.model.Conversation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Conversations as {@code chat.conversations.v1} describes them. Callers own the session or transaction. */
@ApplicationScoped
public class ConversationRepository implements PanacheRepositoryBase<Conversation, UUID> {

    /**
     * Applies one lifecycle event: inserts the conversation or updates it, unless the stored state
     * comes from a later event (a redelivered older event changes nothing). Never fails on order:
     * messages and events of a conversation arrive on different topics.
     */
    public Uni<Integer> apply(UUID id, String queue, String customerId, String agentId, String state,
            Instant startedAt, Instant closedAt, Instant occurredAt) {
        return getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO conversations AS c (id, queue, customer_id, agent_id, state, started_at, closed_at, last_event_at)
                        VALUES (?1, CAST(?2 AS text), CAST(?3 AS text), CAST(?4 AS text), ?5, CAST(?6 AS timestamptz),
                                CAST(?7 AS timestamptz), ?8)
                        ON CONFLICT (id) DO UPDATE SET
                            queue = COALESCE(EXCLUDED.queue, c.queue),
                            customer_id = COALESCE(c.customer_id, EXCLUDED.customer_id),
                            agent_id = CASE WHEN EXCLUDED.state = 'CLOSED' THEN COALESCE(EXCLUDED.agent_id, c.agent_id)
                                            ELSE EXCLUDED.agent_id END,
                            state = EXCLUDED.state,
                            started_at = COALESCE(c.started_at, EXCLUDED.started_at),
                            closed_at = COALESCE(EXCLUDED.closed_at, CASE WHEN EXCLUDED.state = 'CLOSED' THEN c.closed_at END),
                            last_event_at = EXCLUDED.last_event_at,
                            updated_at = now()
                         WHERE c.last_event_at <= EXCLUDED.last_event_at""")
                .setParameter(1, id).setParameter(2, queue).setParameter(3, customerId).setParameter(4, agentId)
                .setParameter(5, state).setParameter(6, startedAt).setParameter(7, closedAt).setParameter(8, occurredAt)
                .executeUpdate());
    }

    /** Whether the agent is now assigned an open (ASSIGNED) conversation with this customer. */
    public Uni<Boolean> servesCustomer(String agentId, String customerId) {
        if (agentId == null || customerId == null) {
            return Uni.createFrom().item(false);
        }
        return count("state = ?1 and agentId = ?2 and customerId = ?3", Conversation.ASSIGNED, agentId, customerId)
                .map(n -> n > 0);
    }
}
