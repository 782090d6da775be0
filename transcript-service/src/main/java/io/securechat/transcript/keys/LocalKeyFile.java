package io.securechat.transcript.keys;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KeysetManager;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.proto.KeysetInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code local}: the KEK is a Tink JSON keyset file (mode 0600) that this service owns. A
 * rotation adds a new AES256_GCM key as primary, keeps the old keys (data keys wrapped with them
 * must still unwrap until they are re-wrapped), and replaces the file atomically.
 */
public final class LocalKeyFile implements KeyEncryptionKeys {

    private static final Logger LOG = Logger.getLogger(LocalKeyFile.class);

    private final Path file;
    private volatile KeysetHandle handle;
    private volatile Kek current;

    public LocalKeyFile(Path file) {
        Keysets.init();
        this.file = file.toAbsolutePath();
        this.handle = Keysets.read(this.file, Keysets.KEK_TYPE_URL, Keysets.Access.OWNER);
        this.current = Keysets.kek(handle);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Kek current() {
        return current;
    }

    @Override
    public synchronized Kek rotate() {
        try {
            Set<Integer> before = new HashSet<>();
            for (KeysetInfo.KeyInfo k : handle.getKeysetInfo().getKeyInfoList()) {
                before.add(k.getKeyId());
            }
            KeysetManager manager = KeysetManager.withKeysetHandle(handle).add(KeyTemplates.get("AES256_GCM"));
            int added = manager.getKeysetHandle().getKeysetInfo().getKeyInfoList().stream()
                    .mapToInt(KeysetInfo.KeyInfo::getKeyId).filter(id -> !before.contains(id)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Tink added no key"));
            KeysetHandle rotated = manager.setPrimary(added).getKeysetHandle();
            write(rotated);
            handle = rotated;
            current = Keysets.kek(rotated);
            LOG.infof("key-encryption key rotated in %s: primary key id %d (%d key(s) kept)", file,
                    current.primaryKeyId(), current.keyIds().size());
            return current;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot rotate the key-encryption key: " + e.getMessage(), e);
        }
    }

    /** Temp file with mode 0600 from the start, then an atomic rename: a crash leaves the old or the new file. */
    private void write(KeysetHandle rotated) throws GeneralSecurityException {
        String json = TinkJsonProtoKeysetFormat.serializeKeyset(rotated, InsecureSecretKeyAccess.get());
        Path tmp = null;
        try {
            tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the rename failed first; nothing more to do
                }
            }
            throw new IllegalStateException("cannot write the rotated keyset to " + file + ": " + e.getMessage(), e);
        }
    }
}
