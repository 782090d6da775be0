package io.securechat.session.message.repository;

import static io.securechat.session.Instants.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.session.Instants;
import io.securechat.session.messaging.event.MessageEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The {@code messages} table: accepted messages with their seq, for replays after a subscribe. */
@ApplicationScoped
public class MessageRepository {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final Pool pool;
    private final ObjectMapper json;

    public MessageRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /**
     * The next seq of the conversation: the row lock of this UPDATE (held to commit) makes seq
     * gap-free and strictly increasing, whichever instance sequences.
     */
    public Uni<Long> nextSeq(SqlConnection c, UUID conversationId, Instant now) {
        return c.preparedQuery("UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = $2, updated_at = $2 "
                        + "WHERE id = $1 RETURNING last_seq")
                .execute(Tuple.of(conversationId, sql(now)))
                .map(rows -> rows.iterator().next().getLong("last_seq"));
    }

    public Uni<Void> insert(SqlConnection c, MessageEvent m) {
        return c.preparedQuery("""
                        INSERT INTO messages (conversation_id, seq, message_id, client_msg_id, sender_id, sender_role,
                               sender_display_name, verified_agent, text, redactions, attachment_ids, sent_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11::text::jsonb, $12)""")
                .execute(Tuple.from(Arrays.asList(m.conversationId(), m.seq(), m.messageId(), m.clientMsgId(),
                        m.sender().userId(), m.sender().role(), m.sender().displayName(), m.sender().verifiedAgent(),
                        m.text(), write(m.redactions()), write(m.attachmentIds()), sql(m.sentAt()))))
                .replaceWithVoid();
    }

    /** Up to {@code limit} messages with seq above {@code afterSeq}, in seq order. */
    public Uni<List<MessageEvent>> after(SqlClient c, UUID conversationId, long afterSeq, int limit) {
        return c.preparedQuery("""
                        SELECT conversation_id, seq, message_id, client_msg_id, sender_id, sender_role, sender_display_name,
                               verified_agent, text, redactions::text AS redactions, attachment_ids::text AS attachment_ids,
                               sent_at
                          FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3""")
                .execute(Tuple.of(conversationId, afterSeq, limit))
                .map(rows -> {
                    List<MessageEvent> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    /** Deletes one batch of messages sent before {@code cutoff}; the number deleted. */
    public Uni<Integer> purge(Instant cutoff, int limit) {
        return pool.preparedQuery("DELETE FROM messages WHERE message_id IN "
                        + "(SELECT message_id FROM messages WHERE sent_at < $1 LIMIT $2)")
                .execute(Tuple.of(sql(cutoff), limit))
                .map(rows -> rows.rowCount());
    }

    private MessageEvent map(Row r) {
        try {
            return new MessageEvent(1, r.getUUID("message_id"), r.getString("client_msg_id"), r.getUUID("conversation_id"),
                    r.getLong("seq"),
                    new MessageEvent.Sender(r.getString("sender_id"), r.getString("sender_role"),
                            r.getString("sender_display_name"), r.getBoolean("verified_agent")),
                    r.getString("text"), json.readTree(r.getString("redactions")),
                    json.readValue(r.getString("attachment_ids"), STRINGS), Instants.of(r.getOffsetDateTime("sent_at")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored message " + r.getUUID("message_id") + " is not readable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value == null ? List.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
