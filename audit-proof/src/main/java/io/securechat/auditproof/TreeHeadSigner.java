package io.securechat.auditproof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.Ed25519Parameters;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import com.google.crypto.tink.subtle.Ed25519Sign;
import com.google.crypto.tink.subtle.Ed25519Verify;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

/** Signs tree heads with Ed25519 (Google Tink, RAW output prefix so signatures are plain Ed25519). */
public final class TreeHeadSigner {
    private static final String ED25519_PRIVATE_KEY_URL = "type.googleapis.com/google.crypto.tink.Ed25519PrivateKey";

    static {
        try {
            SignatureConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PublicKeySign signer;
    private final byte[] publicKey;
    private final String keyId;

    private TreeHeadSigner(PublicKeySign signer, byte[] publicKey) {
        this.signer = signer;
        this.publicKey = publicKey;
        this.keyId = PublicKeys.keyId(publicKey);
    }

    /**
     * A cleartext Tink JSON keyset whose primary key is an Ed25519PrivateKey with output prefix RAW.
     * Messages never include key material.
     */
    public static TreeHeadSigner fromKeysetJson(String tinkJsonKeyset) {
        if (tinkJsonKeyset == null || tinkJsonKeyset.isBlank()) {
            throw new IllegalArgumentException("the signing keyset is empty");
        }
        Key key;
        try {
            key = primaryKey(tinkJsonKeyset);
        } catch (IllegalStateException e) {
            String repaired = withTinkFieldOrder(tinkJsonKeyset);
            try {
                if (repaired == null) {
                    throw e;
                }
                key = primaryKey(repaired);
            } catch (IllegalStateException stillBad) {
                // Tink says no more than "no valid primary"; these are the causes seen in practice.
                throw new IllegalArgumentException("the keyset's primary key cannot be read as a Tink key: it is malformed, "
                        + "or its public key does not match its private key");
            }
        }
        if (!(key instanceof Ed25519PrivateKey priv)) {
            throw new IllegalArgumentException("the keyset's primary key is not an Ed25519 private key (" + key.getClass().getSimpleName() + ")");
        }
        // A Tink prefix would put 5 extra bytes in front of every signature; verifiers that only hold the
        // raw public key (openssl, other languages) expect a plain 64-byte Ed25519 signature.
        if (priv.getParameters().getVariant() != Ed25519Parameters.Variant.NO_PREFIX) {
            throw new IllegalArgumentException("the Ed25519 key must have outputPrefixType RAW, not " + priv.getParameters().getVariant());
        }
        byte[] publicKey = priv.getPublicKey().getPublicKeyBytes().toByteArray();
        PublicKeySign signer;
        try {
            signer = Ed25519Sign.create(priv);
            // A keyset assembled by hand (e.g. from openssl output) can pair a seed with the wrong public
            // key; every head it signed would then fail against the published key. Catch that at startup.
            byte[] probe = "securechat.audit.key-check".getBytes(StandardCharsets.UTF_8);
            new Ed25519Verify(publicKey).verify(signer.sign(probe), probe);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the Ed25519 key is unusable: its public key does not match its private key, or it is malformed", e);
        }
        return new TreeHeadSigner(signer, publicKey);
    }

    /** @throws IllegalStateException when Tink parsed the keyset but not its primary key */
    private static Key primaryKey(String json) {
        KeysetHandle handle;
        try {
            handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid cleartext Tink JSON keyset: " + e.getMessage(), e);
        }
        return handle.getPrimary().getKey();
    }

    /**
     * Tink's Ed25519PrivateKey proto is {version=1, key_value=2 (the seed), public_key=3}. A keyset
     * assembled by hand with the two fields swapped (public_key as field 2, seed as field 3: bytes
     * 12 22 12 20 PUB 1a 20 SEED) is rewritten to Tink's order (12 20 SEED 1a 22 12 20 PUB), so such a
     * key still loads. The sign-and-verify probe afterwards proves the reading was right.
     *
     * @return the repaired keyset, or null when no key has that layout
     */
    static String withTinkFieldOrder(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (Exception e) {
            return null;
        }
        boolean changed = false;
        for (JsonNode k : root.path("key")) {
            JsonNode data = k.path("keyData");
            if (!ED25519_PRIVATE_KEY_URL.equals(data.path("typeUrl").asText()) || !data.path("value").isTextual()) {
                continue;
            }
            byte[] v;
            try {
                v = Base64.getDecoder().decode(data.get("value").textValue());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (v.length != 70 || v[0] != 0x12 || v[1] != 0x22 || v[2] != 0x12 || v[3] != 0x20 || v[36] != 0x1a || v[37] != 0x20) {
                continue;
            }
            byte[] fixed = new byte[70];
            fixed[0] = 0x12;
            fixed[1] = 0x20;
            System.arraycopy(v, 38, fixed, 2, 32);
            fixed[34] = 0x1a;
            fixed[35] = 0x22;
            fixed[36] = 0x12;
            fixed[37] = 0x20;
            System.arraycopy(v, 4, fixed, 38, 32);
            ((ObjectNode) data).put("value", Base64.getEncoder().encodeToString(fixed));
            changed = true;
        }
        return changed ? root.toString() : null;
    }

    public static String generateKeysetJson() {
        try {
            KeysetHandle handle = KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519WithRawOutput);
            return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an Ed25519 keyset", e);
        }
    }

    public SignedTreeHead sign(long treeSize, byte[] root, Instant timestamp) {
        if (root == null || root.length != Merkle.HASH_LEN) {
            throw new IllegalArgumentException("a root hash is 32 bytes");
        }
        TreeHead head = new TreeHead(treeSize, Hex.of(root), timestamp.toString(), keyId);
        try {
            byte[] sig = signer.sign(head.signingInput());
            return new SignedTreeHead(head, Base64.getEncoder().encodeToString(sig));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public byte[] publicKeyRaw() {
        return publicKey.clone();
    }

    public String keyId() {
        return keyId;
    }
}
