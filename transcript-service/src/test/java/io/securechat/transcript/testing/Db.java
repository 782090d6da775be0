package io.securechat.transcript.testing;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;

/** Direct reads of the module's database (its pool, the test schema), as the database owner sees it. */
public final class Db {

    private Db() {}

    public static List<Row> query(Pool pool, String sql, Object... args) {
        List<Row> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10)).forEach(out::add);
        return out;
    }

    public static long count(Pool pool, String sql, Object... args) {
        return query(pool, sql, args).get(0).getLong(0);
    }

    /** Waits until {@code n} messages of the conversation are stored. */
    public static void awaitMessages(Pool pool, UUID conversationId, long n) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(
                () -> count(pool, "SELECT count(*) FROM messages WHERE conversation_id = $1", conversationId) >= n);
    }

    /** Waits until the conversation row reached a state. */
    public static void awaitConversation(Pool pool, UUID conversationId, String state) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(
                () -> count(pool, "SELECT count(*) FROM conversations WHERE id = $1 AND state = $2", conversationId, state) > 0);
    }
}
