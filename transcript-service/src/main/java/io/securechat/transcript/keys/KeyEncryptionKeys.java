package io.securechat.transcript.keys;

import com.google.crypto.tink.Aead;

/**
 * The key-encryption key (KEK) that wraps every conversation's data key, from a key provider
 * (ARCHITECTURE section 6): a local keyset file, a Kubernetes Secret, or later an external KMS
 * behind the same interface. The keyset keeps old keys, so data keys wrapped before a rotation
 * still unwrap until they are re-wrapped.
 */
public interface KeyEncryptionKeys {

    /** The provider's id in {@code chat.transcript.keys.provider}. */
    String name();

    /**
     * The current keyset: its AEAD wraps with the primary key and unwraps with any key of the
     * keyset (Tink's output prefix names the key). Take one snapshot per wrap, so the key id
     * written next to a wrapped key is the one that wrapped it.
     */
    Kek current();

    /**
     * Makes a new key primary (local: generates it; kubernetes-secret: re-reads the Secret).
     *
     * @throws RotationRefused when no new primary key is available
     */
    Kek rotate() throws RotationRefused;

    /**
     * Re-reads the key material if its source changed (another instance rotated). Called when a
     * data key was wrapped with a key this instance does not know yet.
     */
    default boolean refresh() {
        return false;
    }

    /** A snapshot of the KEK: the AEAD and the id of its primary key (an unsigned 32-bit Tink key id). */
    record Kek(Aead aead, long primaryKeyId, java.util.Set<Long> keyIds) {

        public boolean knows(long keyId) {
            return keyIds.contains(keyId);
        }
    }

    /** A rotation that cannot happen now; answered 409. */
    final class RotationRefused extends Exception {
        public RotationRefused(String message) {
            super(message, null, false, false);
        }
    }
}
