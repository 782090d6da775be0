package io.securechat.auditproof;

import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.subtle.Ed25519Verify;
import com.google.crypto.tink.util.Bytes;
import java.security.GeneralSecurityException;
import java.util.Base64;

/** Checks tree-head signatures against one raw Ed25519 public key. */
public final class TreeHeadVerifier {
    private final PublicKeyVerify verifier;
    private final String keyId;

    private TreeHeadVerifier(PublicKeyVerify verifier, String keyId) {
        this.verifier = verifier;
        this.keyId = keyId;
    }

    public static TreeHeadVerifier of(byte[] rawPublicKey32) {
        PublicKeys.requireRaw(rawPublicKey32);
        try {
            return new TreeHeadVerifier(Ed25519Verify.create(Ed25519PublicKey.create(Bytes.copyFrom(rawPublicKey32))),
                    PublicKeys.keyId(rawPublicKey32));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable Ed25519 public key: " + e.getMessage(), e);
        }
    }

    public String keyId() {
        return keyId;
    }

    /** False for a head naming another key id: compare keyId() with the head's to tell that case apart. */
    public boolean verify(SignedTreeHead sth) {
        if (sth == null || !keyId.equals(sth.head().keyId())) {
            return false;
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(sth.signature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (sig.length != 64) {
            return false;
        }
        try {
            verifier.verify(sig, sth.head().signingInput());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
