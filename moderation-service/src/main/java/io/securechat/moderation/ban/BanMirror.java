package io.securechat.moderation.ban;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.securechat.moderation.ModerationConfig;
import io.securechat.moderation.support.WarningThrottle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The active bans (not mutes) mirrored into Redis for the gateway, which refuses a banned client
 * before its socket opens: {@code chat:ban:<subjectKind>:<subject>} = the id of the ban that lasts
 * longest, expiring with it (docs/moderation-actions.md).
 *
 * <p>PostgreSQL is the truth. The key of a subject is rewritten from it after every ban and lift
 * ({@link #sync}), and the whole mirror is rebuilt every {@code chat.bans.mirror-refresh}: a
 * flushed or restarted Redis, or a write lost while Redis was away, heals within that time. A
 * failed write is counted ({@code chat_moderation_ban_mirror_failures_total}) and left to the
 * rebuild: the ban itself stands, and the message path enforces it from PostgreSQL meanwhile.
 */
@ApplicationScoped
public class BanMirror {

    public static final String PREFIX = "chat:ban:";
    static final String FAILURES = "chat.moderation.ban.mirror.failures";

    private static final Logger LOG = Logger.getLogger(BanMirror.class);

    private final BanStore store;
    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;
    private final Duration timeout;
    private final Duration refresh;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final AtomicBoolean rebuilding = new AtomicBoolean();
    private final WarningThrottle warnings = new WarningThrottle(Duration.ofSeconds(30));
    private long timer = -1;

    public BanMirror(BanStore store, ReactiveRedisDataSource redis, ModerationConfig moderation, BansConfig config,
            MeterRegistry registry, Vertx vertx) {
        this.store = store;
        this.values = redis.value(String.class, String.class);
        this.keys = redis.key(String.class);
        this.timeout = moderation.redisTimeout();
        this.refresh = config.mirrorRefresh();
        this.registry = registry;
        this.vertx = vertx;
    }

    public static String key(String subjectKind, String subject) {
        return PREFIX + subjectKind + ":" + subject;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(Math.min(5_000, refresh.toMillis()), refresh.toMillis(),
                id -> rebuild().subscribe().with(n -> {}, t -> {}));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Rewrites the subject's key from PostgreSQL; never fails (a failure is counted and left to the rebuild). */
    public Uni<Void> sync(String subjectKind, String subject) {
        return store.longest(Ban.BAN, subjectKind, subject)
                .chain(ban -> ban == null
                        ? keys.del(key(subjectKind, subject)).replaceWithVoid()
                        : write(key(subjectKind, subject), ban.id().toString(), ban.expiresAt()))
                .ifNoItem().after(timeout.multipliedBy(4)).fail()
                .onFailure().recoverWithItem(t -> {
                    failed("sync", t);
                    return null;
                });
    }

    /**
     * Rebuilds the whole mirror: lists the keys first, then reads PostgreSQL, writes every active
     * ban and deletes the listed keys that no active ban backs. Keys listed before the read cannot
     * lose a ban committed after it (its key is written after the listing), so a ban racing the
     * rebuild is never deleted. A lift racing it may leave its key until the next rebuild
     * (documented gap). One rebuild at a time per instance.
     *
     * @return how many bans the mirror holds, or -1 when it could not be rebuilt
     */
    public Uni<Integer> rebuild() {
        if (!rebuilding.compareAndSet(false, true)) {
            return Uni.createFrom().item(-1);
        }
        Set<String> listed = new HashSet<>();
        return keys.scan(new KeyScanArgs().match(PREFIX + "*").count(500)).toMulti()
                .invoke(listed::add).collect().last()
                .chain(() -> store.longestBans())
                .chain(bans -> writeAll(bans, listed))
                .onFailure().recoverWithItem(t -> {
                    failed("rebuild", t);
                    return -1;
                })
                .eventually(() -> rebuilding.set(false));
    }

    private Uni<Integer> writeAll(List<BanStore.Longest> bans, Set<String> listed) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (BanStore.Longest b : bans) {
            String key = key(b.subjectKind(), b.subject());
            listed.remove(key);
            chain = chain.chain(() -> write(key, b.banId().toString(), b.expiresAt()));
        }
        if (!listed.isEmpty()) {
            chain = chain.chain(() -> keys.del(listed.toArray(String[]::new)).replaceWithVoid());
        }
        return chain.replaceWith(bans.size());
    }

    private Uni<Void> write(String key, String banId, Instant expiresAt) {
        if (expiresAt == null) {
            return values.set(key, banId).ifNoItem().after(timeout).fail();
        }
        long ttl = Duration.between(Instant.now(), expiresAt).toMillis();
        if (ttl <= 0) {
            return keys.del(key).ifNoItem().after(timeout).fail().replaceWithVoid();
        }
        return values.set(key, banId, new SetArgs().px(ttl)).ifNoItem().after(timeout).fail();
    }

    private void failed(String operation, Throwable t) {
        registry.counter(FAILURES, "operation", operation).increment();
        if (warnings.permit()) {
            LOG.warnf("ban mirror %s failed (the next rebuild in at most %s repairs it): %s", operation, refresh,
                    t.toString());
        }
    }
}
