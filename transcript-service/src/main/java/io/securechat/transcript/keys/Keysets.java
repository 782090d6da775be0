package io.securechat.transcript.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.proto.KeyStatusType;
import com.google.crypto.tink.proto.KeysetInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reading Tink JSON keysets from files, with the checks every key file gets. */
public final class Keysets {

    public static final String KEK_TYPE_URL = "type.googleapis.com/google.crypto.tink.AesGcmKey";
    public static final String PRF_TYPE_URL = "type.googleapis.com/google.crypto.tink.HmacPrfKey";

    static {
        try {
            AeadConfig.register();
            PrfConfig.register();
            com.google.crypto.tink.streamingaead.StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Keysets() {}

    /** Makes sure Tink's key managers are registered (class initialisation does it). */
    public static void init() {
        // the static block above
    }

    /**
     * A keyset file: it must exist and be closed to others as {@code access} says (a key file
     * anyone on the machine can read is not a secret). Every key must be of {@code typeUrl}.
     */
    public static KeysetHandle read(Path file, String typeUrl, Access access) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("key file " + file + " is missing: create it (./chat stack start makes the "
                    + "local ones) or set the chat.transcript.keys.* configuration");
        }
        checkMode(file, access);
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        KeysetHandle handle;
        try {
            handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            // Tink's message names the problem, never the key material.
            throw new IllegalStateException("key file " + file + " is not a Tink JSON keyset: " + e.getMessage(), e);
        }
        for (KeysetInfo.KeyInfo k : handle.getKeysetInfo().getKeyInfoList()) {
            if (!typeUrl.equals(k.getTypeUrl())) {
                throw new IllegalStateException("key file " + file + " holds a key of type " + k.getTypeUrl()
                        + ", expected " + typeUrl);
            }
        }
        return handle;
    }

    /** Who besides the owner may read a key file. */
    public enum Access {
        /** A local file: owner only (mode 0600 or 0400). */
        OWNER,
        /**
         * A mounted Kubernetes Secret: files belong to root and the pod's fsGroup, so the group may
         * read (defaultMode 0440); others may not.
         */
        OWNER_AND_GROUP
    }

    /** Refuses a key file that more than {@code access} allows may read or write (symbolic links are followed). */
    public static void checkMode(Path file, Access access) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the permissions of key file " + file + ": " + e.getMessage(), e);
        }
        Set<PosixFilePermission> open = EnumSet.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.GROUP_WRITE);
        if (access == Access.OWNER) {
            open.add(PosixFilePermission.GROUP_READ);
        }
        open.retainAll(perms);
        if (!open.isEmpty()) {
            throw new IllegalStateException("key file " + file + " is open to " + (access == Access.OWNER
                    ? "group or others" : "others") + " (mode " + PosixFilePermissions.toString(perms) + "): "
                    + (access == Access.OWNER ? "chmod 600 it" : "mount the Secret with defaultMode 0440 or 0400"));
        }
    }

    /** The AEAD and key ids of a KEK keyset. */
    public static KeyEncryptionKeys.Kek kek(KeysetHandle handle) {
        try {
            Aead aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
            Set<Long> ids = new LinkedHashSet<>();
            for (KeysetInfo.KeyInfo k : handle.getKeysetInfo().getKeyInfoList()) {
                if (k.getStatus() == KeyStatusType.ENABLED) {
                    ids.add(Integer.toUnsignedLong(k.getKeyId()));
                }
            }
            return new KeyEncryptionKeys.Kek(aead, Integer.toUnsignedLong(handle.getKeysetInfo().getPrimaryKeyId()),
                    Set.copyOf(ids));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key-encryption keyset is unusable: " + e.getMessage(), e);
        }
    }
}
