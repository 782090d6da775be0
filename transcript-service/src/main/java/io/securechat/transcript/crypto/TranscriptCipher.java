package io.securechat.transcript.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import io.securechat.transcript.keys.KeyEncryptionKeys.Kek;
import io.securechat.transcript.keys.Keysets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;

/**
 * Envelope encryption of transcripts (ARCHITECTURE section 6), with Google Tink only.
 *
 * <ul>
 *   <li>Each conversation has a data key: a Tink AES256_GCM keyset, stored only wrapped by the
 *       KEK ({@link #wrap}), with associated data {@code securechat:conversation:<conversationId>},
 *       so a wrapped key copied onto another conversation's row does not unwrap.</li>
 *   <li>Each message's content is one JSON blob encrypted with that data key, with associated
 *       data {@code securechat:message:v1|<conversationId>|<seq>|<messageId>}: a ciphertext moved
 *       to another row, seq or conversation fails to decrypt instead of showing the wrong text.</li>
 * </ul>
 */
public final class TranscriptCipher {

    public static final String DATA_KEY_TEMPLATE = "AES256_GCM";

    static {
        Keysets.init();
    }

    private TranscriptCipher() {}

    /** An unwrapped data key: its AEAD and its primary key id (kept in plaintext next to each ciphertext). */
    public record DataKey(Aead aead, long keyId) {}

    /** A new data key and its wrapped form. */
    public record NewDataKey(DataKey key, byte[] wrapped, long kekKeyId) {}

    public static NewDataKey newDataKey(UUID conversationId, Kek kek) {
        try {
            KeysetHandle handle = KeysetHandle.generateNew(KeyTemplates.get(DATA_KEY_TEMPLATE));
            return new NewDataKey(toDataKey(handle), wrap(handle, conversationId, kek), kek.primaryKeyId());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a data key", e);
        }
    }

    public static byte[] keyAad(UUID conversationId) {
        return ("securechat:conversation:" + conversationId).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] messageAad(UUID conversationId, long seq, UUID messageId) {
        return ("securechat:message:v1|" + conversationId + "|" + seq + "|" + messageId).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] wrap(KeysetHandle dataKey, UUID conversationId, Kek kek) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey, kek.aead(), keyAad(conversationId));
    }

    /** Unwraps a data key; fails when the KEK does not hold the wrapping key or the row was tampered with. */
    public static DataKey unwrap(byte[] wrapped, UUID conversationId, Kek kek) throws GeneralSecurityException {
        return toDataKey(unwrapHandle(wrapped, conversationId, kek));
    }

    /** Unwraps and wraps again with the KEK's current primary key (rotation); the data key itself stays the same. */
    public static byte[] rewrap(byte[] wrapped, UUID conversationId, Kek from, Kek to) throws GeneralSecurityException {
        return wrap(unwrapHandle(wrapped, conversationId, from), conversationId, to);
    }

    private static KeysetHandle unwrapHandle(byte[] wrapped, UUID conversationId, Kek kek) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, kek.aead(), keyAad(conversationId));
    }

    private static DataKey toDataKey(KeysetHandle handle) throws GeneralSecurityException {
        return new DataKey(handle.getPrimitive(RegistryConfiguration.get(), Aead.class),
                Integer.toUnsignedLong(handle.getKeysetInfo().getPrimaryKeyId()));
    }

    public static byte[] encrypt(DataKey key, UUID conversationId, long seq, UUID messageId, byte[] plaintext) {
        try {
            return key.aead().encrypt(plaintext, messageAad(conversationId, seq, messageId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** The plaintext, or an exception when the ciphertext is not the one written for exactly these ids with this key. */
    public static byte[] decrypt(DataKey key, UUID conversationId, long seq, UUID messageId, byte[] ciphertext)
            throws GeneralSecurityException {
        return key.aead().decrypt(ciphertext, messageAad(conversationId, seq, messageId));
    }
}
