package io.securechat.transcript.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KeysetManager;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.proto.KeysetInfo;
import io.securechat.testsupport.LocalStack;
import io.securechat.transcript.crypto.TranscriptCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key providers: file checks, rotation that keeps old keys, the read-only Secret provider. */
class KeyProvidersTest {

    @TempDir
    Path dir;

    static {
        Keysets.init();
    }

    static String newKek() throws Exception {
        return TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.generateNew(KeyTemplates.get("AES256_GCM")),
                InsecureSecretKeyAccess.get());
    }

    /** What an operator does for the kubernetes-secret provider: add a key, make it primary, keep the old ones. */
    static String withNewPrimary(String json) throws Exception {
        KeysetHandle old = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        int before = old.getKeysetInfo().getPrimaryKeyId();
        KeysetManager m = KeysetManager.withKeysetHandle(old).add(KeyTemplates.get("AES256_GCM"));
        int added = m.getKeysetHandle().getKeysetInfo().getKeyInfoList().stream().mapToInt(KeysetInfo.KeyInfo::getKeyId)
                .filter(id -> id != before).findFirst().orElseThrow();
        return TinkJsonProtoKeysetFormat.serializeKeyset(m.setPrimary(added).getKeysetHandle(),
                InsecureSecretKeyAccess.get());
    }

    Path write(String name, String json, String mode) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, json, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void theFilesOfTheLocalStackLoad() {
        // Written by stack/keys.sh without Tink: Tink must read them as they are.
        Path keys = LocalStack.runDir().resolve("keys");
        LocalKeyFile kek = new LocalKeyFile(keys.resolve("transcript-kek.json"));
        assertEquals(1, kek.current().keyIds().size());
        BlindIndexKey index = new BlindIndexKey(keys.resolve("transcript-index.json"), Keysets.Access.OWNER);
        assertEquals(16, index.term("hello").length);
        assertArrayEquals(index.term("hello"), index.term("hello"));
        assertNotEquals(java.util.HexFormat.of().formatHex(index.term("hello")),
                java.util.HexFormat.of().formatHex(index.term("hellp")));
        // and they wrap and unwrap a data key
        UUID c = UUID.randomUUID();
        var created = TranscriptCipher.newDataKey(c, kek.current());
        assertTrue(kek.current().knows(created.kekKeyId()));
    }

    @Test
    void aMissingFileStopsTheServiceWithAClearMessage() {
        var e = assertThrows(IllegalStateException.class, () -> new LocalKeyFile(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aFileOthersOrTheGroupCanReadIsRefused() throws Exception {
        Path f = write("kek.json", newKek(), "rw-r--r--");
        var e = assertThrows(IllegalStateException.class, () -> new LocalKeyFile(f));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        assertThrows(IllegalStateException.class, () -> new LocalKeyFile(f));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        new LocalKeyFile(f);
    }

    @Test
    void aKeyOfAnotherTypeIsRefused() throws Exception {
        String prf = TinkJsonProtoKeysetFormat.serializeKeyset(
                KeysetHandle.generateNew(KeyTemplates.get("HMAC_SHA256_PRF")), InsecureSecretKeyAccess.get());
        Path f = write("kek.json", prf, "rw-------");
        var e = assertThrows(IllegalStateException.class, () -> new LocalKeyFile(f));
        assertTrue(e.getMessage().contains("HmacPrfKey"), e.getMessage());
    }

    @Test
    void rotationAddsAPrimaryKeepsOldKeysAndWritesTheFileAtomicallyWithMode600() throws Exception {
        Path f = write("kek.json", newKek(), "rw-------");
        LocalKeyFile kek = new LocalKeyFile(f);
        long first = kek.current().primaryKeyId();
        UUID c = UUID.randomUUID();
        byte[] wrappedBefore = TranscriptCipher.newDataKey(c, kek.current()).wrapped();

        var rotated = kek.rotate();
        assertNotEquals(first, rotated.primaryKeyId());
        assertEquals(2, rotated.keyIds().size());
        assertTrue(rotated.knows(first));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
        // A data key wrapped before still unwraps, and re-wraps with the new primary.
        TranscriptCipher.unwrap(wrappedBefore, c, kek.current());
        byte[] rewrapped = TranscriptCipher.rewrap(wrappedBefore, c, kek.current(), kek.current());
        TranscriptCipher.unwrap(rewrapped, c, new LocalKeyFile(f).current());
        // What was written is what is used: reading the file again gives the same keyset.
        LocalKeyFile reread = new LocalKeyFile(f);
        assertEquals(rotated.primaryKeyId(), reread.current().primaryKeyId());
        assertEquals(rotated.keyIds(), reread.current().keyIds());
    }

    @Test
    void theSecretProviderRefusesARotationWithoutANewPrimary() throws Exception {
        String json = newKek();
        write(SecretKeyFile.KEK_FILE, json, "r--r-----");
        SecretKeyFile kek = new SecretKeyFile(dir);
        long first = kek.current().primaryKeyId();
        var e = assertThrows(KeyEncryptionKeys.RotationRefused.class, kek::rotate);
        assertEquals("put a keyset with a new primary key in the Secret first", e.getMessage());

        // The operator puts a keyset with the old key and a new primary into the Secret.
        String next = withNewPrimary(json);
        long added = Integer.toUnsignedLong(TinkJsonProtoKeysetFormat.parseKeyset(next, InsecureSecretKeyAccess.get())
                .getKeysetInfo().getPrimaryKeyId());
        Path f = dir.resolve(SecretKeyFile.KEK_FILE);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(f, next);
        var rotated = kek.rotate();
        assertEquals(added, rotated.primaryKeyId());
        assertTrue(rotated.knows(first));
        // It never writes the Secret.
        assertEquals(next, Files.readString(f));
    }

    @Test
    void theSecretProviderRefusesFilesOthersCanRead() throws Exception {
        write(SecretKeyFile.KEK_FILE, newKek(), "rw-r--r--");
        var e = assertThrows(IllegalStateException.class, () -> new SecretKeyFile(dir));
        assertTrue(e.getMessage().contains("defaultMode"), e.getMessage());
    }

    @Test
    void theSecretProviderPicksUpAKeysetAnotherInstanceRotated() throws Exception {
        String json = newKek();
        write(SecretKeyFile.KEK_FILE, json, "r--------");
        SecretKeyFile kek = new SecretKeyFile(dir);
        assertEquals(false, kek.refresh());
        String next = withNewPrimary(json);
        Path f = dir.resolve(SecretKeyFile.KEK_FILE);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(f, next);
        assertTrue(kek.refresh());
        assertEquals(2, kek.current().keyIds().size());
    }
}
