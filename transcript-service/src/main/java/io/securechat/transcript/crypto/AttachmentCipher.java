package io.securechat.transcript.crypto;

import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import io.securechat.transcript.keys.KeyEncryptionKeys.Kek;
import io.securechat.transcript.keys.Keysets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;

/**
 * Attachments are encrypted with Tink StreamingAead (AES256_GCM_HKDF_1MB, segments of 1 MiB each
 * authenticated, so a file is never held whole in memory), one keyset per conversation, wrapped
 * by the KEK exactly like the data key, with associated data naming the conversation. Each file's
 * stream has associated data naming conversation and attachment: a file moved to another
 * attachment or conversation does not decrypt. Its metadata (filename, content type, SHA-256)
 * is a small stream of its own under the same key with its own associated data.
 */
public final class AttachmentCipher {

    public static final String STREAM_KEY_TEMPLATE = "AES256_GCM_HKDF_1MB";

    static {
        Keysets.init();
    }

    private AttachmentCipher() {}

    /** An unwrapped attachment key. */
    public record StreamKey(StreamingAead aead) {}

    public record NewStreamKey(StreamKey key, byte[] wrapped, long kekKeyId) {}

    public static NewStreamKey newKey(UUID conversationId, Kek kek) {
        try {
            KeysetHandle handle = KeysetHandle.generateNew(KeyTemplates.get(STREAM_KEY_TEMPLATE));
            return new NewStreamKey(toKey(handle), TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, kek.aead(),
                    keyAad(conversationId)), kek.primaryKeyId());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create an attachment key", e);
        }
    }

    public static byte[] keyAad(UUID conversationId) {
        return ("securechat:attachment-key:" + conversationId).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] fileAad(UUID conversationId, UUID attachmentId) {
        return ("securechat:attachment:v1|" + conversationId + "|" + attachmentId).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] metadataAad(UUID conversationId, UUID attachmentId) {
        return ("securechat:attachment-meta:v1|" + conversationId + "|" + attachmentId).getBytes(StandardCharsets.UTF_8);
    }

    public static StreamKey unwrap(byte[] wrapped, UUID conversationId, Kek kek) throws GeneralSecurityException {
        return toKey(TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, kek.aead(), keyAad(conversationId)));
    }

    /** Rotation: the same attachment key, wrapped with the KEK's current primary. */
    public static byte[] rewrap(byte[] wrapped, UUID conversationId, Kek kek) throws GeneralSecurityException {
        KeysetHandle handle = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, kek.aead(), keyAad(conversationId));
        return TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, kek.aead(), keyAad(conversationId));
    }

    private static StreamKey toKey(KeysetHandle handle) throws GeneralSecurityException {
        return new StreamKey(handle.getPrimitive(RegistryConfiguration.get(), StreamingAead.class));
    }

    /** An encrypting stream over {@code sink}: closing it writes the last segment. */
    public static OutputStream encrypting(StreamKey key, UUID conversationId, UUID attachmentId, OutputStream sink)
            throws GeneralSecurityException, IOException {
        return key.aead().newEncryptingStream(sink, fileAad(conversationId, attachmentId));
    }

    /** A decrypting stream over the ciphertext; a read fails (IOException) on any tampering or truncation. */
    public static InputStream decrypting(StreamKey key, UUID conversationId, UUID attachmentId, InputStream ciphertext)
            throws GeneralSecurityException, IOException {
        return key.aead().newDecryptingStream(ciphertext, fileAad(conversationId, attachmentId));
    }

    public static byte[] encryptMetadata(StreamKey key, UUID conversationId, UUID attachmentId, byte[] plaintext) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream enc = key.aead().newEncryptingStream(out, metadataAad(conversationId, attachmentId))) {
                enc.write(plaintext);
            }
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("metadata encryption failed", e);
        }
    }

    public static byte[] decryptMetadata(StreamKey key, UUID conversationId, UUID attachmentId, byte[] ciphertext)
            throws GeneralSecurityException, IOException {
        try (InputStream in = key.aead().newDecryptingStream(new ByteArrayInputStream(ciphertext),
                metadataAad(conversationId, attachmentId))) {
            return in.readAllBytes();
        }
    }
}
