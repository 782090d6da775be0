package io.securechat.transcript.conversation.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** What {@code chat.conversations.v1} told us about a conversation: enough to authorize reads. */
@Entity
@Table(name = "conversations")
public class Conversation {

    public static final String QUEUED = "QUEUED";
    public static final String ASSIGNED = "ASSIGNED";
    public static final String CLOSED = "CLOSED";

    @Id
    @Column(name = "id")
    public UUID id;

    @Column(name = "queue")
    public String queue;

    @Column(name = "customer_id")
    public String customerId;

    /** The assigned agent; after the close, the agent who had it last; null while it waits in a queue. */
    @Column(name = "agent_id")
    public String agentId;

    @Column(name = "state", nullable = false)
    public String state;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** Set by a GDPR erasure: the conversation's keys were destroyed (crypto-shredding). */
    @Column(name = "erased_at")
    public Instant erasedAt;

    @Column(name = "last_event_at", nullable = false)
    public Instant lastEventAt;
}
