package io.securechat.transcript.message.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A conversation's data key, wrapped by the KEK key {@link #kekKeyId}; the plain key is never stored. */
@Entity
@Table(name = "conversation_keys")
public class ConversationKey {

    @Id
    @Column(name = "conversation_id")
    public UUID conversationId;

    @Column(name = "wrapped_key", nullable = false)
    public byte[] wrappedKey;

    @Column(name = "kek_key_id", nullable = false)
    public long kekKeyId;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "rewrapped_at")
    public Instant rewrappedAt;
}
