package io.securechat.audit.trail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.auditproof.AuditEntry;
import io.securechat.auditproof.Hex;
import io.securechat.auditproof.Merkle;
import io.securechat.auditproof.SignedTreeHead;
import io.securechat.auditproof.TreeHead;
import io.securechat.auditproof.TreeHeadVerifier;
import io.vertx.mutiny.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * Checks the stored log from its first record, as a database superuser might have left it:
 * every record's hash over its content, its place (seq), its link to the previous record, the
 * query columns against the content, and the whole log against every signed tree head (a log
 * shorter than a signed head was truncated). Names the first broken record.
 */
public final class ChainVerifier {

    /** The first problem found in the records, in seq order. */
    public record Broken(long seq, String eventId, String problem, String message) {}

    /** The check of the signed tree heads. */
    public record CheckpointCheck(long treeSize, boolean ok, String message) {}

    public record Result(boolean ok, long records, Instant checkedAt, Broken firstBroken, CheckpointCheck checkpoint) {}

    private final ObjectMapper json;
    /**
     * The log's Merkle tree as a compact range (one complete subtree per set bit of the size), so a
     * chain check of any length holds O(log n) hashes; the root of each prefix that a signed head
     * covers is kept as the records stream past it.
     */
    private final List<byte[]> subtrees = new java.util.ArrayList<>();
    private final List<Long> subtreeSizes = new java.util.ArrayList<>();
    private final java.util.Map<Long, String> rootsAt = new java.util.HashMap<>();
    private final java.util.Set<Long> headSizes;
    private long expected = 1;
    private String prevHash = AuditEntry.GENESIS_PREV_HASH;
    private long records;
    private Broken first;

    private String prevEventId;
    private final Trail known;
    private final long knownSize;

    /**
     * @param known this instance's view of the log (what it appended or read back and checked), or
     *        null: a record that differs from it was rewritten together with its hash, which the
     *        chain alone cannot show for records after the latest signed head.
     */
    public ChainVerifier(ObjectMapper json, Trail known, List<SignedTreeHead> heads) {
        this.json = json;
        this.headSizes = new java.util.HashSet<>();
        heads.forEach(h -> headSizes.add(h.head().treeSize()));
        this.known = known;
        this.knownSize = known == null ? 0 : known.size();
    }

    /** Feeds the next stored row, in seq order. */
    public void row(Row r) {
        row(r.getLong("seq"), r.getString("entry"), r.getString("prev_hash"), r.getString("hash"),
                r.getUUID("event_id") == null ? null : r.getUUID("event_id").toString(), r.getOffsetDateTime("occurred_at"),
                r.getString("actor_id"), r.getString("action"), r.getString("resource_type"), r.getString("resource_id"),
                r.getString("outcome"), r.getString("service"), r.getOffsetDateTime("recorded_at"));
    }

    void row(long seq, String entry, String prevHashColumn, String hashColumn, String eventId, OffsetDateTime occurredAt,
            String actorId, String action, String resourceType, String resourceId, String outcome, String service,
            OffsetDateTime recordedAt) {
        records++;
        byte[] bytes = entry.getBytes(StandardCharsets.UTF_8);
        byte[] leaf = Merkle.leafHash(bytes);
        push(leaf);
        if (headSizes.contains(records)) {
            rootsAt.put(records, Hex.of(root()));
        }
        String actualHash = Hex.of(Trail.sha256(bytes));
        if (first == null) {
            if (seq > expected) {
                fail(expected, null, "missing_records", seq == expected + 1
                        ? "record " + expected + " is missing: it was deleted (record " + (expected - 1) + " is followed by " + seq + ")"
                        : "records " + expected + " to " + (seq - 1) + " are missing: they were deleted (record "
                                + (expected - 1) + " is followed by " + seq + ")");
            } else if (seq < expected) {
                fail(seq, eventId, "duplicate_record", "record " + seq + " appears twice");
            } else if (!actualHash.equals(hashColumn)) {
                fail(seq, eventId, "hash_mismatch", "record " + seq + " (event " + eventId
                        + ") does not match its hash: its content was changed after it was written");
            } else {
                check(seq, entry, prevHashColumn, eventId, occurredAt, actorId, action, resourceType, resourceId, outcome,
                        service, recordedAt);
                if (first == null && seq <= knownSize && !java.util.Arrays.equals(leaf, known.leafHash(seq - 1))) {
                    fail(seq, eventId, "rewritten_record", "record " + seq + " (event " + eventId
                            + ") is not the record this service appended: its content and its hash were both rewritten");
                }
            }
        }
        expected = seq + 1;
        prevHash = hashColumn;
        prevEventId = eventId;
    }

    private void check(long seq, String entryText, String prevHashColumn, String eventId, OffsetDateTime occurredAt,
            String actorId, String action, String resourceType, String resourceId, String outcome, String service,
            OffsetDateTime recordedAt) {
        JsonNode entry;
        try {
            entry = json.readTree(entryText);
        } catch (Exception e) {
            fail(seq, eventId, "hash_mismatch", "record " + seq + " is not readable JSON");
            return;
        }
        long recordedSeq = entry.path("seq").asLong(-1);
        if (recordedSeq != seq) {
            fail(seq, eventId, "moved_record", "the record at position " + seq + " (event " + eventId + ") was written as record "
                    + recordedSeq + ": records were moved or swapped");
            return;
        }
        String linked = entry.path("prevHash").asText();
        if (!linked.equals(prevHashColumn)) {
            fail(seq, eventId, "columns_mismatch", "record " + seq + " (event " + eventId
                    + "): its prev_hash column was changed and no longer matches the signed content");
            return;
        }
        if (!linked.equals(prevHash)) {
            // This record's own hash holds, so the link it recorded is authentic: the one before was replaced.
            fail(seq - 1, prevEventId, "replaced_record", "record " + (seq - 1) + " (event " + prevEventId
                    + ") was replaced by another one with a recomputed hash: record " + seq + " recorded a different hash for it");
            return;
        }
        JsonNode ev = entry.path("event");
        boolean same = Objects.equals(eventId, ev.path("eventId").asText(null))
                && Objects.equals(text(ev.path("actor").path("userId")), actorId)
                && Objects.equals(ev.path("action").asText(null), action)
                && Objects.equals(ev.path("resource").path("type").asText(null), resourceType)
                && Objects.equals(ev.path("resource").path("id").asText(null), resourceId)
                && Objects.equals(ev.path("outcome").asText(null), outcome)
                && Objects.equals(text(ev.path("service")), service)
                && sameInstant(ev.path("occurredAt").asText(null), occurredAt)
                && sameInstant(entry.path("recordedAt").asText(null), recordedAt);
        if (!same) {
            fail(seq, eventId, "columns_mismatch", "record " + seq + " (event " + eventId
                    + "): the searchable columns were changed and no longer match the signed content");
        }
    }

    private void push(byte[] leaf) {
        byte[] h = leaf;
        long size = 1;
        // Merge equal-sized neighbours: RFC 9162 trees split at the largest power of two.
        while (!subtreeSizes.isEmpty() && subtreeSizes.get(subtreeSizes.size() - 1) == size) {
            h = Merkle.nodeHash(subtrees.remove(subtrees.size() - 1), h);
            size += subtreeSizes.remove(subtreeSizes.size() - 1);
        }
        subtrees.add(h);
        subtreeSizes.add(size);
    }

    /** MTH of the records so far: the complete subtrees folded right to left. */
    private byte[] root() {
        if (subtrees.isEmpty()) {
            return Merkle.emptyRoot();
        }
        byte[] h = subtrees.get(subtrees.size() - 1);
        for (int i = subtrees.size() - 2; i >= 0; i--) {
            h = Merkle.nodeHash(subtrees.get(i), h);
        }
        return h;
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static boolean sameInstant(String iso, OffsetDateTime column) {
        try {
            return iso != null && column != null && Instant.parse(iso).toEpochMilli() / 1000 == column.toInstant().toEpochMilli() / 1000
                    && Math.abs(Instant.parse(iso).getNano() / 1000 - column.toInstant().getNano() / 1000) <= 1;
        } catch (Exception e) {
            return false;
        }
    }

    private void fail(long seq, String eventId, String problem, String message) {
        if (first == null) {
            first = new Broken(seq, eventId, problem, message);
        }
    }

    /** After the last row: checks the signed heads (ascending size) and gives the result. */
    public Result finish(List<SignedTreeHead> heads, TreeHeadVerifier verifier) {
        CheckpointCheck check = null;
        // Truncation first, against the latest head: it says how many records should be there.
        SignedTreeHead largestValid = null;
        for (int i = heads.size() - 1; i >= 0 && largestValid == null; i--) {
            if (verifier == null || verifier.verify(heads.get(i))) {
                largestValid = heads.get(i);
            }
        }
        if (largestValid != null) {
            TreeHead h = largestValid.head();
            if (h.treeSize() > records) {
                check = new CheckpointCheck(h.treeSize(), false, "the log holds " + records + " records but the tree head signed at "
                        + h.timestamp() + " covers " + h.treeSize() + ": the log was truncated or its last records deleted");
                fail(records + 1, null, "missing_records", "records " + (records + 1) + " to " + h.treeSize()
                        + " are missing: the log ends at " + records + " but the tree head signed at " + h.timestamp()
                        + " covers " + h.treeSize());
                return new Result(false, records, Instant.now(), first, check);
            }
        }
        long goodSize = 0;
        CheckpointCheck badSignature = null;
        int valid = 0;
        SignedTreeHead lastValid = null;
        for (SignedTreeHead sth : heads) {
            TreeHead h = sth.head();
            if (verifier != null && !verifier.verify(sth)) {
                // Not signed by our key (the writer role can insert rows here): reported, not trusted, and it
                // does not hide the heads after it.
                if (badSignature == null) {
                    badSignature = new CheckpointCheck(h.treeSize(), false, "the tree head of size " + h.treeSize()
                            + " dated " + h.timestamp() + " does not carry a valid signature of key " + verifier.keyId()
                            + ": it was not written by this service");
                }
                continue;
            }
            if (h.treeSize() > records) {
                continue;
            }
            if (!h.rootHash().equals(rootsAt.get(h.treeSize()))) {
                check = new CheckpointCheck(h.treeSize(), false, "the first " + h.treeSize()
                        + " records do not match the tree head signed at " + h.timestamp());
                fail(goodSize + 1, null, "checkpoint_mismatch", "records " + (goodSize + 1) + " to " + h.treeSize()
                        + " do not match the tree head signed at " + h.timestamp() + " (the ones before match the head of size "
                        + goodSize + "): records among them were changed and their hashes rewritten");
                break;
            }
            goodSize = h.treeSize();
            valid++;
            lastValid = sth;
        }
        if (check == null && badSignature != null) {
            check = badSignature;
        }
        if (check == null && lastValid != null) {
            TreeHead last = lastValid.head();
            check = new CheckpointCheck(last.treeSize(), true, "All " + valid
                    + " signed tree head(s) match the log, the latest of size " + last.treeSize() + " signed at " + last.timestamp() + ".");
        }
        boolean ok = first == null && (check == null || check.ok());
        return new Result(ok, records, Instant.now(), first, check);
    }
}
