package io.securechat.auditproof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/** One record of the log exactly as hashed. prevHash and the results are lowercase hex of SHA-256. */
public record AuditEntry(long seq, String recordedAt, String prevHash, JsonNode event) {
    public static final String GENESIS_PREV_HASH = "0".repeat(64);

    private static final Set<String> FIELDS = Set.of("seq", "recordedAt", "prevHash", "event");

    public AuditEntry {
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(event, "event");
        if (!Hex.isHash(prevHash)) {
            throw new IllegalArgumentException("prevHash must be 64 lowercase hex characters, got " + describe(prevHash));
        }
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("seq", seq);
        n.put("recordedAt", recordedAt);
        n.put("prevHash", prevHash);
        n.set("event", event);
        return n;
    }

    /**
     * Strict on purpose: a field the hash does not cover, or one coerced from another type, would
     * let an export say something the hash never vouched for.
     */
    public static AuditEntry fromJson(JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            throw new IllegalArgumentException("entry must be a JSON object");
        }
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("entry has an unexpected field \"" + f + "\" (allowed: seq, recordedAt, prevHash, event)");
            }
        }
        JsonNode seq = entry.get("seq");
        if (seq == null) {
            throw new IllegalArgumentException("entry field \"seq\" is missing");
        }
        if (!seq.isIntegralNumber() || !seq.canConvertToLong()) {
            throw new IllegalArgumentException("entry field \"seq\" must be an integer, got " + seq);
        }
        String recordedAt = text(entry, "recordedAt");
        String prevHash = text(entry, "prevHash");
        if (!Hex.isHash(prevHash)) {
            throw new IllegalArgumentException("entry field \"prevHash\" must be 64 lowercase hex characters, got " + describe(prevHash));
        }
        JsonNode event = entry.get("event");
        if (event == null) {
            throw new IllegalArgumentException("entry field \"event\" is missing");
        }
        if (!event.isObject()) {
            throw new IllegalArgumentException("entry field \"event\" must be a JSON object");
        }
        return new AuditEntry(seq.longValue(), recordedAt, prevHash, event);
    }

    public byte[] canonicalBytes() {
        return CanonicalJson.bytes(toJson());
    }

    public byte[] chainHash() {
        return Sha256.of(canonicalBytes());
    }

    public byte[] leafHash() {
        return Merkle.leafHash(canonicalBytes());
    }

    private static String text(JsonNode entry, String field) {
        JsonNode v = entry.get(field);
        if (v == null) {
            throw new IllegalArgumentException("entry field \"" + field + "\" is missing");
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("entry field \"" + field + "\" must be a string, got " + v.getNodeType().name().toLowerCase());
        }
        return v.textValue();
    }

    private static String describe(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 80 ? "\"" + s.substring(0, 80) + "…\" (" + s.length() + " chars)" : "\"" + s + "\"";
    }
}
