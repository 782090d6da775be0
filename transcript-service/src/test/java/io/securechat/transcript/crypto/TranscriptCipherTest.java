package io.securechat.transcript.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import io.securechat.transcript.keys.KeyEncryptionKeys.Kek;
import io.securechat.transcript.keys.Keysets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Envelope encryption: round trip, and every way a ciphertext or wrapped key is moved or altered fails. */
class TranscriptCipherTest {

    static Kek kek() throws GeneralSecurityException {
        Keysets.init();
        return Keysets.kek(KeysetHandle.generateNew(KeyTemplates.get("AES256_GCM")));
    }

    final UUID conversation = UUID.randomUUID();
    final UUID message = UUID.randomUUID();
    final byte[] plain = "{\"text\":\"hello there\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTrip() throws Exception {
        Kek kek = kek();
        var created = TranscriptCipher.newDataKey(conversation, kek);
        assertEquals(kek.primaryKeyId(), created.kekKeyId());
        byte[] ct = TranscriptCipher.encrypt(created.key(), conversation, 7, message, plain);
        assertFalse(new String(ct, StandardCharsets.ISO_8859_1).contains("hello"));
        // Through the wrapped form, as a reader gets it.
        var unwrapped = TranscriptCipher.unwrap(created.wrapped(), conversation, kek);
        assertEquals(created.key().keyId(), unwrapped.keyId());
        assertArrayEquals(plain, TranscriptCipher.decrypt(unwrapped, conversation, 7, message, ct));
    }

    @Test
    void aCiphertextMovedToAnotherSeqMessageOrConversationFails() throws Exception {
        var key = TranscriptCipher.newDataKey(conversation, kek()).key();
        byte[] ct = TranscriptCipher.encrypt(key, conversation, 7, message, plain);
        assertThrows(GeneralSecurityException.class, () -> TranscriptCipher.decrypt(key, conversation, 8, message, ct));
        assertThrows(GeneralSecurityException.class,
                () -> TranscriptCipher.decrypt(key, conversation, 7, UUID.randomUUID(), ct));
        assertThrows(GeneralSecurityException.class,
                () -> TranscriptCipher.decrypt(key, UUID.randomUUID(), 7, message, ct));
    }

    @Test
    void anotherConversationsKeyOrACorruptedCiphertextFails() throws Exception {
        Kek kek = kek();
        var key = TranscriptCipher.newDataKey(conversation, kek).key();
        var other = TranscriptCipher.newDataKey(conversation, kek).key();
        byte[] ct = TranscriptCipher.encrypt(key, conversation, 1, message, plain);
        assertThrows(GeneralSecurityException.class, () -> TranscriptCipher.decrypt(other, conversation, 1, message, ct));
        byte[] flipped = Arrays.copyOf(ct, ct.length);
        flipped[flipped.length - 1] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> TranscriptCipher.decrypt(key, conversation, 1, message, flipped));
    }

    @Test
    void theAssociatedDataNamesConversationSeqAndMessage() {
        assertEquals("securechat:message:v1|" + conversation + "|7|" + message,
                new String(TranscriptCipher.messageAad(conversation, 7, message), StandardCharsets.UTF_8));
        assertEquals("securechat:conversation:" + conversation,
                new String(TranscriptCipher.keyAad(conversation), StandardCharsets.UTF_8));
    }

    @Test
    void aWrappedKeyIsUnusableWithAnotherKekOrOnAnotherConversation() throws Exception {
        Kek kek = kek();
        var created = TranscriptCipher.newDataKey(conversation, kek);
        assertThrows(GeneralSecurityException.class, () -> TranscriptCipher.unwrap(created.wrapped(), conversation, kek()));
        assertThrows(GeneralSecurityException.class,
                () -> TranscriptCipher.unwrap(created.wrapped(), UUID.randomUUID(), kek));
    }

    @Test
    void rewrapKeepsTheDataKey() throws Exception {
        Kek from = kek();
        Kek to = kek();
        var created = TranscriptCipher.newDataKey(conversation, from);
        byte[] ct = TranscriptCipher.encrypt(created.key(), conversation, 3, message, plain);
        byte[] rewrapped = TranscriptCipher.rewrap(created.wrapped(), conversation, from, to);
        assertThrows(GeneralSecurityException.class, () -> TranscriptCipher.unwrap(rewrapped, conversation, from));
        assertArrayEquals(plain, TranscriptCipher.decrypt(TranscriptCipher.unwrap(rewrapped, conversation, to),
                conversation, 3, message, ct));
    }
}
