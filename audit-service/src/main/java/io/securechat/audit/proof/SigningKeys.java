package io.securechat.audit.proof;

import io.securechat.auditproof.TreeHeadSigner;
import io.securechat.auditproof.TreeHeadVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The key provider of the tree-head signatures: a cleartext Tink JSON keyset holding one Ed25519
 * private key, read from a file (made by stack/keys.sh locally; a mounted Secret in Kubernetes).
 * A missing or unreadable key keeps the service not ready, with the reason; it never logs the key.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final Path file;
    private volatile TreeHeadSigner signer;
    private volatile String problem = "not loaded yet";

    public SigningKeys(@ConfigProperty(name = "chat.audit.signing.keyset-file") Path file) {
        this.file = file;
    }

    /** The signer, or null with {@link #problem()} saying why. */
    public TreeHeadSigner signer() {
        if (signer == null) {
            synchronized (this) {
                if (signer == null) {
                    try {
                        signer = TreeHeadSigner.fromKeysetJson(Files.readString(file));
                        problem = null;
                        LOG.infof("tree heads are signed with Ed25519 key %s", signer.keyId());
                    } catch (Exception e) {
                        // Tink's messages name the problem (format, key type), never key material.
                        problem = "signing key " + file + " unusable: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                }
            }
        }
        return signer;
    }

    public String problem() {
        signer();
        return problem;
    }

    public TreeHeadVerifier verifier() {
        TreeHeadSigner s = signer();
        return s == null ? null : TreeHeadVerifier.of(s.publicKeyRaw());
    }

    public String publicKeyBase64() {
        TreeHeadSigner s = signer();
        return s == null ? null : Base64.getEncoder().encodeToString(s.publicKeyRaw());
    }
}
