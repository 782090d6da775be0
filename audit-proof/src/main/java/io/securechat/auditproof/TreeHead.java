package io.securechat.auditproof;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What the log key signs: the size of the tree and its root at a point in time. rootHash is lowercase
 * hex; timestamp is ISO-8601 UTC as Instant.toString() writes it.
 */
public record TreeHead(long treeSize, String rootHash, String timestamp, String keyId) {
    /** Domain separation: a signature over a tree head can never be replayed as a signature over anything else. */
    public static final String SIGNING_CONTEXT = "securechat.audit.tree-head.v1\n";

    public TreeHead {
        if (treeSize < 0) {
            throw new IllegalArgumentException("treeSize must not be negative, got " + treeSize);
        }
        if (!Hex.isHash(rootHash)) {
            throw new IllegalArgumentException("rootHash must be 64 lowercase hex characters");
        }
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(keyId, "keyId");
    }

    public byte[] signingInput() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("keyId", keyId);
        n.put("rootHash", rootHash);
        n.put("timestamp", timestamp);
        n.put("treeSize", treeSize);
        return (SIGNING_CONTEXT + CanonicalJson.string(n)).getBytes(StandardCharsets.UTF_8);
    }
}
