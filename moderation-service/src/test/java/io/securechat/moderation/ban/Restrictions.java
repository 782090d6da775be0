package io.securechat.moderation.ban;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Bans and mutes written straight into PostgreSQL, as a moderator's action would; removed after the test. */
public final class Restrictions implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Pool pool;
    private final List<UUID> written = new ArrayList<>();

    public Restrictions(Pool pool) {
        this.pool = pool;
    }

    public void ban(String subjectKind, String subject) {
        insert("BAN", subjectKind, subject, OffsetDateTime.now().plusDays(1), null);
    }

    public void mute(String subjectKind, String subject) {
        insert("MUTE", subjectKind, subject, null, null);
    }

    public void insert(String kind, String subjectKind, String subject, OffsetDateTime expiresAt, OffsetDateTime liftedAt) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO bans (id, kind, subject_kind, subject, reason, created_by, expires_at, lifted_at) "
                        + "VALUES ($1, $2, $3, $4, 'integration test', 'moderator1', $5, $6)")
                .execute(Tuple.from(Arrays.asList(id, kind, subjectKind, subject, expiresAt, liftedAt)))
                .await().atMost(WAIT);
        written.add(id);
    }

    @Override
    public void close() {
        pool.preparedQuery("DELETE FROM bans WHERE id = ANY($1)")
                .execute(Tuple.of(written.toArray(UUID[]::new))).await().atMost(WAIT);
    }
}
