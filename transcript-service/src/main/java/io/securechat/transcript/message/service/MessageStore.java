package io.securechat.transcript.message.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.securechat.transcript.conversation.service.ConversationLocks;
import io.securechat.transcript.crypto.MessageContent;
import io.securechat.transcript.crypto.Terms;
import io.securechat.transcript.crypto.TranscriptCipher;
import io.securechat.transcript.crypto.TranscriptCipher.DataKey;
import io.securechat.transcript.keys.BlindIndexKey;
import io.securechat.transcript.message.model.StoredMessage;
import io.securechat.transcript.message.repository.MessageRepository;
import io.securechat.transcript.messaging.event.MessageEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Stores a {@code chat.messages.v1} record encrypted, once per messageId: the message row and
 * its blind-index terms in one transaction. A redelivered record changes nothing; a record whose
 * messageId is stored with another seq (or whose seq holds another message) is an anomaly: logged
 * with ids only and skipped, never overwritten.
 */
@ApplicationScoped
public class MessageStore {

    private static final Logger LOG = Logger.getLogger(MessageStore.class);

    /** {@code TOMBSTONED}: the conversation was purged or erased; nothing was written. */
    public enum Outcome { STORED, DUPLICATE, ANOMALY, TOMBSTONED }

    private final MessageRepository messages;
    private final BlindIndexKey indexKey;
    private final ObjectMapper json;

    public MessageStore(MessageRepository messages, BlindIndexKey indexKey, ObjectMapper json) {
        this.messages = messages;
        this.indexKey = indexKey;
        this.json = json;
    }

    /**
     * In one transaction holding the conversation's lock shared ({@link ConversationLocks}): the
     * tombstone is checked after the lock is granted, so a purge or erasure that committed first is
     * seen (nothing stored), and one that comes later waits for this transaction and then deletes
     * or shreds what it wrote.
     */
    @WithTransaction
    public Uni<Outcome> store(MessageEvent e, DataKey key) {
        return messages.getSession().chain(s -> ConversationLocks.sharedThenTombstoned(s, e.conversationId()))
                .chain(gone -> gone ? Uni.createFrom().item(Outcome.TOMBSTONED) : storeUnlocked(e, key));
    }

    private Uni<Outcome> storeUnlocked(MessageEvent e, DataKey key) {
        return messages.findById(e.messageId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(compare(e, existing));
            }
            StoredMessage row = encrypt(e, key);
            return messages.insertIfAbsent(row).chain(n -> {
                if (n == 0) {
                    // Lost a race with another copy of this record, or the seq holds another message.
                    return messages.getSession().chain(s -> s.find(StoredMessage.class, e.messageId()))
                            .map(found -> found != null ? compare(e, found) : anomaly(e, "its seq holds another message"));
                }
                List<byte[]> terms = Terms.words(e.text()).stream().map(indexKey::term).toList();
                return messages.insertTerms(e.conversationId(), e.seq(), terms)
                        .chain(() -> link(e))
                        .replaceWith(Outcome.STORED);
            });
        });
    }

    /**
     * Links the message's attachments: each that belongs to the same conversation, was uploaded
     * by the sender and is not linked yet. Others (unknown, foreign, someone else's, linked
     * already, malformed ids) are counted and logged with ids, and not listed with the message.
     */
    private Uni<Void> link(MessageEvent e) {
        List<String> ids = e.attachmentIds() == null ? List.of() : e.attachmentIds().stream().distinct().toList();
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        java.util.List<String> ignored = new java.util.concurrent.CopyOnWriteArrayList<>();
        Uni<Void> out = Uni.createFrom().voidItem();
        for (String raw : ids) {
            java.util.UUID id;
            try {
                id = java.util.UUID.fromString(raw);
            } catch (RuntimeException ex) {
                ignored.add("(malformed)");
                continue;
            }
            out = out.chain(() -> messages.getSession().chain(s -> s.createNativeQuery("""
                            UPDATE attachments SET message_id = ?1, linked_at = now()
                             WHERE attachment_id = ?2 AND conversation_id = ?3 AND uploader_id = ?4
                               AND message_id IS NULL AND complete""")
                    .setParameter(1, e.messageId()).setParameter(2, id).setParameter(3, e.conversationId())
                    .setParameter(4, e.sender().userId()).executeUpdate()))
                    .invoke(n -> {
                        if (n == 0) {
                            ignored.add(id.toString());
                        }
                    }).replaceWithVoid();
        }
        return out.invoke(() -> {
            if (!ignored.isEmpty()) {
                LOG.warnf("message %s (conversation %s): %d attachment id(s) not linked (not the sender's upload in this "
                        + "conversation, or linked already): %s", e.messageId(), e.conversationId(), ignored.size(), ignored);
            }
        });
    }

    private StoredMessage encrypt(MessageEvent e, DataKey key) {
        MessageContent content = new MessageContent(1, e.text(),
                e.redactions() == null ? json.createArrayNode() : e.redactions(),
                e.sender().displayName(), e.attachmentIds());
        byte[] plaintext;
        try {
            plaintext = json.writeValueAsBytes(content);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("message content not serializable", ex);
        }
        StoredMessage row = new StoredMessage();
        row.messageId = e.messageId();
        row.conversationId = e.conversationId();
        row.seq = e.seq();
        row.senderUserId = e.sender().userId();
        row.senderRole = e.sender().role();
        row.verifiedAgent = e.sender().verifiedAgent();
        row.sentAt = e.sentAt();
        row.dataKeyId = key.keyId();
        row.ciphertext = TranscriptCipher.encrypt(key, e.conversationId(), e.seq(), e.messageId(), plaintext);
        return row;
    }

    private static Outcome compare(MessageEvent e, StoredMessage stored) {
        if (stored.conversationId.equals(e.conversationId()) && stored.seq == e.seq()) {
            return Outcome.DUPLICATE;
        }
        return anomaly(e, "its messageId is stored as conversation " + stored.conversationId + " seq " + stored.seq);
    }

    private static Outcome anomaly(MessageEvent e, String what) {
        LOG.errorf("message %s (conversation %s, seq %d) not stored: %s", e.messageId(), e.conversationId(), e.seq(), what);
        return Outcome.ANOMALY;
    }
}
