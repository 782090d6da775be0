package io.securechat.transcript.keys;

import com.google.crypto.tink.KeysetHandle;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * {@code kubernetes-secret}: the KEK is the same Tink JSON keyset, as {@code kek.json} in a
 * mounted Secret directory, read-only. The operator rotates by putting a keyset with a new
 * primary key (and the old keys) into the Secret; {@link #rotate()} then re-reads it, and
 * refuses when the primary did not change.
 */
public final class SecretKeyFile implements KeyEncryptionKeys {

    private static final Logger LOG = Logger.getLogger(SecretKeyFile.class);
    public static final String KEK_FILE = "kek.json";
    public static final String INDEX_FILE = "index.json";
    public static final String NO_NEW_PRIMARY = "put a keyset with a new primary key in the Secret first";

    private final Path file;
    private volatile Kek current;

    public SecretKeyFile(Path secretDir) {
        Keysets.init();
        this.file = secretDir.toAbsolutePath().resolve(KEK_FILE);
        this.current = load();
    }

    private Kek load() {
        KeysetHandle handle = Keysets.read(file, Keysets.KEK_TYPE_URL, Keysets.Access.OWNER_AND_GROUP);
        return Keysets.kek(handle);
    }

    @Override
    public String name() {
        return "kubernetes-secret";
    }

    @Override
    public Kek current() {
        return current;
    }

    @Override
    public synchronized Kek rotate() throws RotationRefused {
        Kek read = load();
        if (read.primaryKeyId() == current.primaryKeyId()) {
            throw new RotationRefused(NO_NEW_PRIMARY);
        }
        if (!read.keyIds().containsAll(current.keyIds())) {
            // Keys that wrapped data keys must stay until everything is re-wrapped.
            LOG.warnf("the Secret's keyset dropped key id(s) %s that may still wrap data keys",
                    current.keyIds().stream().filter(id -> !read.keyIds().contains(id)).toList());
        }
        current = read;
        LOG.infof("key-encryption key rotated from the Secret: primary key id %d", read.primaryKeyId());
        return read;
    }

    @Override
    public synchronized boolean refresh() {
        Kek read = load();
        boolean changed = !read.keyIds().equals(current.keyIds()) || read.primaryKeyId() != current.primaryKeyId();
        if (changed) {
            current = read;
            LOG.infof("key-encryption keyset re-read from the Secret: primary key id %d", read.primaryKeyId());
        }
        return changed;
    }
}
