package io.securechat.moderation.ban;

import io.securechat.moderation.ModerationConfig;
import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.ModerationPolicy;
import io.securechat.moderation.pipeline.PolicyResult;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Policy {@code bans}: blocks a sender under an active ban ({@code banned}) or mute
 * ({@code muted}), by user id, or by guest fingerprint for guests. Active: not lifted and not
 * expired.
 *
 * <p>Asked straight from PostgreSQL for every message, without a cache: one indexed lookup, and a
 * ban takes effect on the very next message. When PostgreSQL cannot answer, the policy fails and
 * the gate holds the message (retrying) rather than let a banned user through.
 */
@ApplicationScoped
public class BanPolicy implements ModerationPolicy {

    public static final String ID = "bans";

    private static final String ACTIVE_KINDS = """
            SELECT DISTINCT kind FROM bans
             WHERE lifted_at IS NULL AND (expires_at IS NULL OR expires_at > now())
               AND ((subject_kind = 'USER' AND subject = $1)
                 OR (subject_kind = 'GUEST_FINGERPRINT' AND subject = $2))""";

    private final Pool pool;
    private final Duration timeout;

    public BanPolicy(Pool pool, ModerationConfig config) {
        this.pool = pool;
        this.timeout = config.bans().queryTimeout();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Uni<PolicyResult> evaluate(InboundMessage message) {
        // A null fingerprint ($2) matches no row: signed-in users are looked up by id only.
        return pool.preparedQuery(ACTIVE_KINDS)
                .execute(Tuple.of(message.sender().userId(), message.guestFingerprint()))
                .ifNoItem().after(timeout).fail()
                .map(BanPolicy::verdict);
    }

    private static PolicyResult verdict(RowSet<Row> kinds) {
        boolean muted = false;
        for (Row row : kinds) {
            if ("BAN".equals(row.getString("kind"))) {
                return PolicyResult.block("banned");
            }
            muted = true;
        }
        return muted ? PolicyResult.block("muted") : PolicyResult.allow();
    }
}
