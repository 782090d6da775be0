package io.securechat.transcript.message.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A stored message: ids, seq, who sent it (userId and role, no name) and when in plaintext, the
 * rest ({@code MessageContent}) only as {@link #ciphertext}.
 */
@Entity
@Table(name = "messages")
public class StoredMessage {

    @Id
    @Column(name = "message_id")
    public UUID messageId;

    @Column(name = "conversation_id", nullable = false)
    public UUID conversationId;

    @Column(name = "seq", nullable = false)
    public long seq;

    @Column(name = "sender_user_id", nullable = false)
    public String senderUserId;

    @Column(name = "sender_role")
    public String senderRole;

    @Column(name = "verified_agent", nullable = false)
    public boolean verifiedAgent;

    @Column(name = "sent_at", nullable = false)
    public Instant sentAt;

    @Column(name = "data_key_id", nullable = false)
    public long dataKeyId;

    @Column(name = "ciphertext", nullable = false)
    public byte[] ciphertext;

    @Column(name = "stored_at", nullable = false, insertable = false, updatable = false)
    public Instant storedAt;
}
