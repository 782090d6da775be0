package io.securechat.audit.proof;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.securechat.audit.trail.AuditMetrics;
import io.securechat.audit.trail.Trail;
import io.securechat.auditproof.Hex;
import io.securechat.auditproof.SignedTreeHead;
import io.securechat.auditproof.TreeHead;
import io.securechat.auditproof.TreeHeadSigner;
import io.securechat.platform.schema.SchemaMigrator;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Signs tree heads: every {@code every-records} new records or every {@code every} when the log
 * grew, whichever comes first, and on demand (an export or a proof for a record newer than the
 * last head). At start-up, after reading the log, it checks the log against the latest signed
 * head: a log shorter than it, or with another root at its size, stops appending and signing.
 */
@ApplicationScoped
public class Checkpoints {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class);

    private final Pool pool;
    private final Trail trail;
    private final SigningKeys keys;
    private final AuditMetrics metrics;
    private final SchemaMigrator migrator;
    private final Vertx vertx;
    private final long everyRecords;
    private final Duration every;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile SignedTreeHead latest;
    private volatile Instant latestAt = Instant.EPOCH;
    private volatile boolean started;
    private long timer = -1;

    public Checkpoints(Pool pool, Trail trail, SigningKeys keys, AuditMetrics metrics, SchemaMigrator migrator, Vertx vertx,
            @ConfigProperty(name = "chat.audit.checkpoint.every-records") long everyRecords,
            @ConfigProperty(name = "chat.audit.checkpoint.every") Duration every) {
        this.pool = pool;
        this.trail = trail;
        this.keys = keys;
        this.metrics = metrics;
        this.migrator = migrator;
        this.vertx = vertx;
        this.everyRecords = everyRecords;
        this.every = every;
    }

    void onStart(@Observes StartupEvent e) {
        timer = vertx.setPeriodic(1000, id -> tick());
    }

    void onStop(@Observes ShutdownEvent e) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        // A last head over what this instance appended: records after the latest head are only
        // covered by this instance's memory, which a restart loses.
        SignedTreeHead l = latest;
        if (started && trail.tampered() == null && trail.size() > (l == null ? 0 : l.head().treeSize())) {
            try {
                signNow().await().atMost(Duration.ofSeconds(5));
                LOG.infof("signed a tree head over %d record(s) at shutdown", trail.size());
            } catch (RuntimeException ex) {
                LOG.warnf("no tree head signed at shutdown: %s", ex.getClass().getSimpleName());
            }
        }
    }

    /** Whether the log was read and checked against the last signed head. */
    public boolean started() {
        return started;
    }

    public SignedTreeHead latestSigned() {
        return latest;
    }

    private void tick() {
        if (migrator.state() != SchemaMigrator.State.MIGRATED || !busy.compareAndSet(false, true)) {
            return;
        }
        Uni<Void> work = started ? trail.sync().replaceWithVoid().chain(this::maybeSign) : startUp();
        work.subscribe().with(v -> busy.set(false), t -> {
            busy.set(false);
            if (!(t instanceof Trail.TrailMismatch)) {
                LOG.debugf("checkpoint tick failed: %s", t.getClass().getSimpleName());
            }
        });
    }

    private Uni<Void> startUp() {
        return trail.sync().chain(this::loadLatest).invoke(head -> {
            if (head != null) {
                TreeHead h = head.head();
                if (trail.size() < h.treeSize()) {
                    trail.flagCheckpoint("the log holds " + trail.size() + " records but the tree head signed at "
                            + h.timestamp() + " covers " + h.treeSize());
                } else if (!Hex.of(trail.root(h.treeSize())).equals(h.rootHash())) {
                    trail.flagCheckpoint("the first " + h.treeSize() + " records do not match the tree head signed at "
                            + h.timestamp());
                }
                latestAt = Instant.now();
            }
            started = true;
            trail.checkedAgainstTreeHead();
            LOG.infof("audit trail read: %d record(s); latest signed tree head covers %d", trail.size(),
                    head == null ? 0 : head.head().treeSize());
        }).replaceWithVoid();
    }

    private Uni<Void> maybeSign() {
        long size = trail.size();
        long signed = latest == null ? 0 : latest.head().treeSize();
        boolean due = size - signed >= everyRecords
                || (size > signed && Duration.between(latestAt, Instant.now()).compareTo(every) >= 0);
        return due ? signNow().replaceWithVoid() : Uni.createFrom().voidItem();
    }

    /**
     * A signed head covering at least {@code minSize} records: the latest one if it does, else a
     * new one over the whole log as this instance holds it (synced first).
     */
    public Uni<SignedTreeHead> covering(long minSize) {
        return trail.sync().chain(size -> {
            SignedTreeHead l = latest;
            // A head newer than this instance's tree (another instance signed it) cannot be proven from here.
            if (l != null && l.head().treeSize() >= minSize && l.head().treeSize() <= size) {
                return Uni.createFrom().item(l);
            }
            return signNow();
        });
    }

    /** Signs the head of the log as held now; the stored row is the durable checkpoint. */
    public synchronized Uni<SignedTreeHead> signNow() {
        if (trail.tampered() != null) {
            return Uni.createFrom().failure(new Trail.TrailMismatch(trail.tampered()));
        }
        TreeHeadSigner signer = keys.signer();
        if (signer == null) {
            return Uni.createFrom().failure(new IllegalStateException(keys.problem()));
        }
        long size = trail.size();
        if (size == 0) {
            return Uni.createFrom().nullItem();
        }
        SignedTreeHead sth = signer.sign(size, trail.root(size), Instant.now());
        TreeHead h = sth.head();
        return pool.preparedQuery("""
                INSERT INTO audit_checkpoints (tree_size, root_hash, signed_at, key_id, signature)
                VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tree_size) DO NOTHING""")
                .execute(Tuple.of(h.treeSize(), h.rootHash(), h.timestamp(), h.keyId(), sth.signature()))
                .chain(r -> r.rowCount() == 1 ? Uni.createFrom().item(sth) : loadAt(size))
                .map(stored -> {
                    // A row already at this size that does not verify was not signed by us: keep ours.
                    if (stored == null || !valid(stored)) {
                        LOG.warnf("AUDIT-005 a tree head of size %d that does not verify is in audit_checkpoints; using this instance's own", size);
                        return sth;
                    }
                    return stored;
                })
                .invoke(stored -> {
                    if (latest == null || stored.head().treeSize() >= latest.head().treeSize()) {
                        latest = stored;
                        latestAt = Instant.now();
                    }
                    metrics.signed.increment();
                });
    }

    private boolean valid(SignedTreeHead h) {
        var v = keys.verifier();
        return v == null || v.verify(h);
    }

    /**
     * The largest stored head whose signature verifies. The writer role may insert rows here, so a
     * row is adopted only for its signature, never for its size alone.
     */
    public Uni<SignedTreeHead> loadLatest() {
        return pool.query("SELECT * FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 50").execute()
                .map(rows -> {
                    for (Row r : rows) {
                        SignedTreeHead h = of(r);
                        if (valid(h)) {
                            return h;
                        }
                        LOG.warnf("AUDIT-004 the tree head of size %d in audit_checkpoints does not verify with key %s: ignored",
                                h.head().treeSize(), keys.signer() == null ? "-" : keys.signer().keyId());
                    }
                    return null;
                })
                .invoke(h -> {
                    if (h != null && (latest == null || h.head().treeSize() > latest.head().treeSize())) {
                        latest = h;
                    }
                });
    }

    /** The signed head of exactly this size, or null. */
    public Uni<SignedTreeHead> loadAt(long treeSize) {
        return pool.preparedQuery("SELECT * FROM audit_checkpoints WHERE tree_size = $1").execute(Tuple.of(treeSize))
                .map(rows -> rows.size() == 0 ? null : of(rows.iterator().next()));
    }

    public static SignedTreeHead of(Row r) {
        return new SignedTreeHead(new TreeHead(r.getLong("tree_size"), r.getString("root_hash"), r.getString("signed_at"),
                r.getString("key_id")), r.getString("signature"));
    }
}
