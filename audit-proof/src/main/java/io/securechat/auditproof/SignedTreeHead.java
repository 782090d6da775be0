package io.securechat.auditproof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** A tree head and the base64 of its 64-byte Ed25519 signature. */
public record SignedTreeHead(TreeHead head, String signature) {
    public SignedTreeHead {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(signature, "signature");
    }

    /** Flat, the form in exports and API responses: {"treeSize","rootHash","timestamp","keyId","signature"}. */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("treeSize", head.treeSize());
        n.put("rootHash", head.rootHash());
        n.put("timestamp", head.timestamp());
        n.put("keyId", head.keyId());
        n.put("signature", signature);
        return n;
    }

    /**
     * Other fields are ignored: they are not signed, and a client reading an API response that carries
     * more than the head should still be able to check the head.
     */
    public static SignedTreeHead fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("tree head must be a JSON object");
        }
        JsonNode size = n.get("treeSize");
        if (size == null) {
            throw new IllegalArgumentException("tree head field \"treeSize\" is missing");
        }
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            throw new IllegalArgumentException("tree head field \"treeSize\" must be a non-negative integer, got " + size);
        }
        String root = text(n, "rootHash");
        if (!Hex.isHash(root)) {
            throw new IllegalArgumentException("tree head field \"rootHash\" must be 64 lowercase hex characters");
        }
        return new SignedTreeHead(new TreeHead(size.longValue(), root, text(n, "timestamp"), text(n, "keyId")), text(n, "signature"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null) {
            throw new IllegalArgumentException("tree head field \"" + field + "\" is missing");
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("tree head field \"" + field + "\" must be a string");
        }
        return v.textValue();
    }
}
