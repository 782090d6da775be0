package io.securechat.transcript.admin.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.securechat.transcript.admin.model.RotationResult;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.crypto.TranscriptCipher;
import io.securechat.transcript.keys.KeyEncryptionKeys;
import io.securechat.transcript.keys.KeyEncryptionKeys.Kek;
import io.securechat.transcript.keys.KeyEncryptionKeys.RotationRefused;
import io.securechat.transcript.keys.KeysConfig;
import io.securechat.transcript.message.model.ConversationKey;
import io.securechat.transcript.message.repository.ConversationKeyRepository;
import io.securechat.transcript.messaging.AuditPublisher;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.securechat.transcript.metrics.TranscriptMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Rotates the key-encryption key, then re-wraps every data key with the new primary, online:
 * batches of {@code chat.transcript.keys.rewrap-batch} rows, each locked with
 * {@code FOR UPDATE SKIP LOCKED} in its own transaction, while messages keep being stored. A data
 * key created during the rotation is wrapped with whichever key was primary at that moment; the
 * keyset keeps the old keys, so it stays readable, and the next pass re-wraps it. The data keys
 * themselves do not change, so no message is re-encrypted and cached keys stay valid.
 */
@ApplicationScoped
public class KeyRotation {

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);
    /** Passes over the table: a pass catches keys created with the old primary during the previous one. */
    static final int MAX_PASSES = 5;

    private final KeyEncryptionKeys kek;
    private final ConversationKeyRepository keys;
    private final AuditPublisher audit;
    private final TranscriptMetrics metrics;
    private final KeysConfig config;
    private final Vertx vertx;
    private final io.securechat.transcript.attachment.service.StreamKeys streamKeys;
    private final AtomicBoolean running = new AtomicBoolean();

    public KeyRotation(KeyEncryptionKeys kek, ConversationKeyRepository keys, AuditPublisher audit, TranscriptMetrics metrics,
            KeysConfig config, Vertx vertx, io.securechat.transcript.attachment.service.StreamKeys streamKeys) {
        this.streamKeys = streamKeys;
        this.kek = kek;
        this.keys = keys;
        this.audit = audit;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
    }

    /** Fails with {@link RotationRefused} when a rotation runs already or the provider has no new key. */
    public Uni<RotationResult> rotate(Reader admin) {
        if (!running.compareAndSet(false, true)) {
            metrics.rotation("refused");
            return Uni.createFrom().failure(new RotationRefused("a key rotation is already running"));
        }
        long started = System.nanoTime();
        long previous = kek.current().primaryKeyId();
        AtomicLong rewrapped = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        // The provider writes or reads a file: off the event loop.
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
                    try {
                        return kek.rotate();
                    } catch (RotationRefused e) {
                        throw new RefusedWrapper(e);
                    }
                }))
                .onFailure(RefusedWrapper.class).transform(t -> t.getCause())
                .chain(rotated -> passes(rotated.primaryKeyId(), rewrapped, failed, 1)
                        // The attachment keys are wrapped by the same KEK: re-wrapped the same way.
                        .chain(() -> streamKeys.rewrapAll(rotated.primaryKeyId(), config.rewrapBatch(), rewrapped, failed))
                        .chain(() -> Panache.withSession(() -> keys.countNotWrappedWith(rotated.primaryKeyId())))
                        .chain(dataRemaining -> streamKeys.countNotWrappedWith(rotated.primaryKeyId()).map(a -> a + dataRemaining))
                        .map(remaining -> new RotationResult(rotated.primaryKeyId(), previous, rewrapped.get(), failed.get(),
                                remaining, (System.nanoTime() - started) / 1_000_000)))
                .call(result -> audit.publish(AuditEvent.of(admin, AuditEvent.KEY_ROTATED, "key", "transcript-kek",
                        result.remaining() == 0 ? AuditEvent.SUCCESS : AuditEvent.FAILURE, details(result))))
                .invoke(result -> {
                    metrics.rotation(result.remaining() == 0 ? "done" : "incomplete");
                    LOG.infof("KEK rotated (%s): key id %d -> %d, %d data key(s) re-wrapped, %d failed, %d remaining, %d ms",
                            kek.name(), previous, result.kekKeyId(), result.rewrapped(), result.failed(), result.remaining(),
                            result.tookMs());
                })
                .onFailure().invoke(t -> metrics.rotation(t instanceof RotationRefused ? "refused" : "failed"))
                .onTermination().invoke(() -> running.set(false));
    }

    private Map<String, Object> details(RotationResult r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("provider", kek.name());
        d.put("previousKekKeyId", r.previousKekKeyId());
        d.put("kekKeyId", r.kekKeyId());
        d.put("rewrapped", r.rewrapped());
        d.put("failed", r.failed());
        d.put("remaining", r.remaining());
        d.put("tookMs", r.tookMs());
        return d;
    }

    /** One pass walks the table in conversation-id order; another follows while the last one changed something. */
    private Uni<Void> passes(long primary, AtomicLong rewrapped, AtomicLong failed, int pass) {
        long before = rewrapped.get();
        return batches(primary, null, rewrapped, failed).chain(() -> rewrapped.get() > before && pass < MAX_PASSES
                ? passes(primary, rewrapped, failed, pass + 1)
                : Uni.createFrom().voidItem());
    }

    private Uni<Void> batches(long primary, UUID after, AtomicLong rewrapped, AtomicLong failed) {
        return Panache.withTransaction(() -> keys.lockBatch(primary, after, config.rewrapBatch()).map(rows -> {
                    rewrapAll(rows, primary, rewrapped, failed);
                    return rows;
                }))
                .chain(rows -> rows.size() < config.rewrapBatch() ? Uni.createFrom().voidItem()
                        : batches(primary, rows.get(rows.size() - 1).conversationId, rewrapped, failed));
    }

    /** Changes the managed entities; the transaction writes them at its commit. */
    private void rewrapAll(List<ConversationKey> rows, long primary, AtomicLong rewrapped, AtomicLong failed) {
        Kek current = kek.current();
        Instant now = Instant.now();
        for (ConversationKey row : rows) {
            try {
                row.wrappedKey = TranscriptCipher.rewrap(row.wrappedKey, row.conversationId, current, current);
                row.kekKeyId = current.primaryKeyId();
                row.rewrappedAt = now;
                rewrapped.incrementAndGet();
            } catch (GeneralSecurityException e) {
                failed.incrementAndGet();
                LOG.errorf("data key of conversation %s (KEK key id %d) does not unwrap: not re-wrapped",
                        row.conversationId, row.kekKeyId);
            }
        }
        if (current.primaryKeyId() != primary) {
            LOG.warnf("the KEK primary changed during the rotation (%d, now %d)", primary, current.primaryKeyId());
        }
    }

    private static final class RefusedWrapper extends RuntimeException {
        RefusedWrapper(RotationRefused cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
