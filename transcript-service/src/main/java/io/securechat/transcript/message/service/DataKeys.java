package io.securechat.transcript.message.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.securechat.transcript.conversation.service.ConversationLocks;
import io.securechat.transcript.crypto.TranscriptCipher;
import io.securechat.transcript.crypto.TranscriptCipher.DataKey;
import io.securechat.transcript.keys.KeyEncryptionKeys;
import io.securechat.transcript.keys.KeyEncryptionKeys.Kek;
import io.securechat.transcript.keys.KeysConfig;
import io.securechat.transcript.message.model.ConversationKey;
import io.securechat.transcript.message.repository.ConversationKeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The data key of each conversation: created on its first message, stored only wrapped by the
 * KEK, and kept unwrapped in a bounded, expiring in-memory cache (only keys read back from a
 * committed row are cached, so a key whose insert rolled back is never used again).
 */
@ApplicationScoped
public class DataKeys {

    private static final Logger LOG = Logger.getLogger(DataKeys.class);

    /** A data key that cannot be unwrapped: wrong or missing KEK key, or a tampered row. */
    public static final class UnusableKey extends Exception {
        public UnusableKey(String message) {
            super(message, null, false, false);
        }
    }

    private final ConversationKeyRepository keys;
    private final KeyEncryptionKeys kek;
    private final Cache<UUID, DataKey> cache;

    public DataKeys(ConversationKeyRepository keys, KeyEncryptionKeys kek, KeysConfig config) {
        this.keys = keys;
        this.kek = kek;
        this.cache = Caffeine.newBuilder().maximumSize(config.cacheSize()).expireAfterAccess(config.cacheExpiry()).build();
    }

    /**
     * The conversation's data key for storing a message, created (in its own transaction, before
     * the message's) when it has none; null when the conversation is tombstoned (purged or erased).
     * The transaction holds the conversation's lock shared ({@link ConversationLocks}) and checks the
     * tombstone after taking it, and the insert itself is guarded by {@code WHERE NOT EXISTS} a
     * tombstone: an erasure or purge can never be followed by a new key. A key created but never
     * used is harmless (an erasure deletes it with the others).
     */
    public Uni<DataKey> forWriting(UUID conversationId) {
        DataKey cached = cache.getIfPresent(conversationId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return Panache.withTransaction(() -> keys.getSession()
                .chain(s -> ConversationLocks.sharedThenTombstoned(s, conversationId))
                .chain(gone -> {
                    if (gone) {
                        return Uni.createFrom().<ConversationKey>nullItem();
                    }
                    return keys.findById(conversationId).chain(row -> {
                        if (row != null) {
                            return Uni.createFrom().item(row);
                        }
                        TranscriptCipher.NewDataKey created = TranscriptCipher.newDataKey(conversationId, kek.current());
                        return keys.insertIfAbsent(conversationId, created.wrapped(), created.kekKeyId())
                                // Whoever inserted first wins; read back what is stored (null: tombstoned meanwhile).
                                .chain(() -> keys.findById(conversationId));
                    });
                })).map(row -> {
            if (row == null) {
                return null;
            }
            try {
                return unwrapAndCache(row);
            } catch (UnusableKey e) {
                // The partition waits: storing under a new key would orphan the old messages' key id.
                throw new IllegalStateException(e.getMessage());
            }
        });
    }

    /** The data key for reading, from the cache or the stored row; null when the conversation has none. */
    public Uni<DataKey> forReading(UUID conversationId) {
        DataKey cached = cache.getIfPresent(conversationId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return keys.findById(conversationId).map(row -> {
            if (row == null) {
                return null;
            }
            try {
                return unwrapAndCache(row);
            } catch (UnusableKey e) {
                throw new UnusableKeyException(e.getMessage());
            }
        });
    }

    /** Thrown inside a pipeline when a stored data key does not unwrap (reads turn it into integrity errors). */
    public static final class UnusableKeyException extends RuntimeException {
        public UnusableKeyException(String message) {
            super(message, null, false, false);
        }
    }

    private DataKey unwrapAndCache(ConversationKey row) throws UnusableKey {
        DataKey key = unwrap(row);
        cache.put(row.conversationId, key);
        return key;
    }

    DataKey unwrap(ConversationKey row) throws UnusableKey {
        Kek current = kek.current();
        // A key id this instance does not know: another instance may have rotated; re-read the provider once.
        if (!current.knows(row.kekKeyId) && kek.refresh()) {
            current = kek.current();
        }
        try {
            return TranscriptCipher.unwrap(row.wrappedKey, row.conversationId, current);
        } catch (GeneralSecurityException e) {
            LOG.errorf("data key of conversation %s (KEK key id %d) does not unwrap", row.conversationId, row.kekKeyId);
            throw new UnusableKey("data key of conversation " + row.conversationId + " does not unwrap");
        }
    }

    /** Forgets a cached key (erasure, tests). */
    public void evict(UUID conversationId) {
        cache.invalidate(conversationId);
    }
}
