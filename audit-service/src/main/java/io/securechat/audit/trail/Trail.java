package io.securechat.audit.trail;

import io.securechat.auditproof.AuditEntry;
import io.securechat.auditproof.Hex;
import io.securechat.auditproof.Merkle;
import io.securechat.auditproof.MerkleLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * This instance's view of the log: the Merkle tree over every record in seq order and the hash of
 * the last one. It grows only by records whose chain it checked (its own appends, or rows read
 * back with {@link #sync()}), so a tree head it signs covers what was really appended, never
 * what someone later wrote into the table. A log that no longer matches (rows gone, a head
 * changed) puts it in the {@link #tampered()} state: appending and signing stop until an
 * operator restores the log, and readiness says why.
 */
@ApplicationScoped
public class Trail {

    private static final Logger LOG = Logger.getLogger(Trail.class);
    private static final int PAGE = 1000;

    private final Pool pool;
    private final MerkleLog tree = new MerkleLog();
    private String lastHash = AuditEntry.GENESIS_PREV_HASH;
    private volatile String tampered;
    private volatile String checkpointProblem;
    private volatile boolean loaded;

    public Trail(Pool pool) {
        this.pool = pool;
    }

    public synchronized long size() {
        return tree.size();
    }

    public synchronized String lastHash() {
        return lastHash;
    }

    public boolean loaded() {
        return loaded;
    }

    private volatile boolean checked;

    /** Set once the log read at start-up was checked against the latest signed tree head. */
    public void checkedAgainstTreeHead() {
        checked = true;
    }

    /** Why the log no longer matches what this instance appended, or null. */
    public String tampered() {
        return checkpointProblem != null ? checkpointProblem : tampered;
    }

    /**
     * The log read at start-up does not match a signed tree head. Unlike a changed head, this
     * view itself was built from altered rows, so only a restart after the log is restored clears it.
     */
    public void flagCheckpoint(String problem) {
        if (checkpointProblem == null) {
            LOG.errorf("AUDIT-003 the audit log does not match its signed tree heads: %s; appending and signing stopped (run GET /api/v1/audit/verify)", problem);
        }
        checkpointProblem = problem;
    }

    public synchronized byte[] root(long treeSize) {
        return treeSize == 0 ? Merkle.emptyRoot() : tree.root(treeSize);
    }

    public synchronized List<byte[]> inclusionProof(long leafIndex, long treeSize) {
        return tree.inclusionProof(leafIndex, treeSize);
    }

    public synchronized List<byte[]> consistencyProof(long size1, long size2) {
        return tree.consistencyProof(size1, size2);
    }

    public synchronized byte[] leafHash(long index) {
        return tree.leafHash(index);
    }

    /** Marks the log as not matching; appends and signatures stop. */
    public void flag(String problem) {
        if (tampered == null) {
            LOG.errorf("AUDIT-001 the audit log no longer matches what was appended: %s; appending and signing stopped (run GET /api/v1/audit/verify)", problem);
        }
        tampered = problem;
    }

    /** The log was restored to what this instance knows: resume. */
    void clear() {
        if (tampered != null) {
            LOG.infof("AUDIT-002 the audit log matches again; appending and signing resume");
        }
        tampered = null;
    }

    /**
     * Adds one record read back or just committed. Idempotent for a seq already held (a sync and
     * an append may both offer it); a record that does not extend the chain flags the log.
     */
    synchronized boolean accept(long seq, String entry, String prevHash, String hash) {
        long size = tree.size();
        if (seq <= size) {
            return true;
        }
        if (seq != size + 1) {
            flag("record " + (size + 1) + " is missing (the next record in the table is " + seq + ")");
            return false;
        }
        byte[] bytes = entry.getBytes(StandardCharsets.UTF_8);
        if (!Hex.of(sha256(bytes)).equals(hash)) {
            flag("record " + seq + " does not match its hash");
            return false;
        }
        if (!lastHash.equals(prevHash)) {
            flag("record " + seq + " does not point to the hash of record " + size);
            return false;
        }
        tree.append(Merkle.leafHash(bytes));
        lastHash = hash;
        return true;
    }

    /** Reads the records appended (by any instance) after the ones held, in seq order. */
    public Uni<Long> sync() {
        long from = size();
        return pool.preparedQuery("SELECT seq, entry, prev_hash, hash FROM audit_records WHERE seq > $1 ORDER BY seq LIMIT $2")
                .execute(Tuple.of(from, PAGE))
                .flatMap(rows -> {
                    int n = 0;
                    for (Row r : rows) {
                        n++;
                        if (!accept(r.getLong("seq"), r.getString("entry"), r.getString("prev_hash"), r.getString("hash"))) {
                            return Uni.createFrom().failure(new TrailMismatch(tampered));
                        }
                    }
                    if (n == PAGE) {
                        return sync();
                    }
                    loaded = true;
                    return Uni.createFrom().item(size());
                });
    }

    /**
     * Checks the table's head against this view, under the append lock: the head must be the
     * last record held (or later records appended by another instance, read with sync first).
     */
    Uni<Void> checkHead(Long headSeq, String headHash) {
        if (!checked) {
            return Uni.createFrom().failure(new TrailMismatch("the log is still being read and checked at start-up"));
        }
        long head = headSeq == null ? 0 : headSeq;
        synchronized (this) {
            if (head < tree.size()) {
                flag("the table ends at record " + head + " but " + tree.size() + " were appended: records "
                        + (head + 1) + " to " + tree.size() + " are missing");
                return Uni.createFrom().failure(new TrailMismatch(tampered));
            }
            if (head == tree.size()) {
                if (head > 0 && !lastHash.equals(headHash)) {
                    flag("the hash of record " + head + " was changed");
                    return Uni.createFrom().failure(new TrailMismatch(tampered));
                }
                clear();
                return checkpointProblem == null ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new TrailMismatch(checkpointProblem));
            }
        }
        return sync().flatMap(s -> s == head ? Uni.createFrom().voidItem() : checkHead(headSeq, headHash));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The log does not match this instance's view; the batch waits (retried) until it does. */
    public static final class TrailMismatch extends RuntimeException {
        public TrailMismatch(String message) {
            super(message, null, false, false);
        }
    }
}
