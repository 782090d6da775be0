package io.securechat.transcript.search.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.conversation.model.ReadAccess;
import io.securechat.transcript.conversation.model.ReadAccess.SearchScope;
import io.securechat.transcript.crypto.Terms;
import io.securechat.transcript.history.service.Decryptor;
import io.securechat.transcript.history.service.HistoryReads;
import io.securechat.transcript.keys.BlindIndexKey;
import io.securechat.transcript.message.model.StoredMessage;
import io.securechat.transcript.messaging.AuditPublisher;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.securechat.transcript.metrics.TranscriptMetrics;
import io.securechat.transcript.history.model.MessageFrame;
import io.securechat.transcript.search.model.SearchResult;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Search over the blind index: the query's words are normalized like the stored text
 * ({@link Terms}), turned into the same PRF terms, and matched in {@code message_terms}; only
 * messages containing every word, from conversations the caller may read (the rules of the
 * history API, applied in SQL), newest first. The database never sees a word.
 */
@ApplicationScoped
public class TranscriptSearch {

    public static final int MAX_WORDS = 10;

    /**
     * $1 terms, $2 how many, $3 whether the caller reads everything, $4 the caller, $5 whether the
     * caller is an agent (assigned conversations and customers they now serve), $6 limit.
     */
    static final String SQL = """
            SELECT m.message_id, m.conversation_id, m.seq, m.sender_user_id, m.sender_role, m.verified_agent, m.sent_at,
                   m.data_key_id, m.ciphertext
              FROM messages m
              JOIN (SELECT conversation_id, seq FROM message_terms WHERE term = ANY($1)
                     GROUP BY conversation_id, seq HAVING count(*) = $2) t
                ON t.conversation_id = m.conversation_id AND t.seq = m.seq
              LEFT JOIN conversations c ON c.id = m.conversation_id
             WHERE $3
                OR c.customer_id = $4
                OR ($5 AND (c.agent_id = $4 OR c.customer_id IN (
                        SELECT s.customer_id FROM conversations s WHERE s.state = 'ASSIGNED' AND s.agent_id = $4)))
             ORDER BY m.sent_at DESC, m.conversation_id, m.seq DESC
             LIMIT $6""";

    private final Pool pool;
    private final BlindIndexKey indexKey;
    private final Decryptor decryptor;
    private final AuditPublisher audit;
    private final TranscriptMetrics metrics;

    public TranscriptSearch(Pool pool, BlindIndexKey indexKey, Decryptor decryptor, AuditPublisher audit,
            TranscriptMetrics metrics) {
        this.pool = pool;
        this.indexKey = indexKey;
        this.decryptor = decryptor;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** Checks the query before anything runs: 400 without a usable word or with too many. */
    public static List<String> words(String q) {
        if (q == null || q.isBlank()) {
            throw new ApiError.BadRequest("q is required");
        }
        List<String> words = Terms.words(q);
        if (words.isEmpty()) {
            throw new ApiError.BadRequest("q must hold a word of at least " + Terms.MIN_LENGTH + " letters or digits");
        }
        if (words.size() > MAX_WORDS) {
            throw new ApiError.BadRequest("q may hold at most " + MAX_WORDS + " words");
        }
        return words;
    }

    @WithSession
    public Uni<SearchResult> search(Reader reader, List<String> words, int limit) {
        Buffer[] terms = words.stream().map(indexKey::term).map(Buffer::buffer).toArray(Buffer[]::new);
        SearchScope scope = ReadAccess.searchScope(reader);
        Tuple args = Tuple.tuple().addValue(terms).addInteger(terms.length).addBoolean(scope == SearchScope.ALL)
                .addString(reader.userId()).addBoolean(reader.isAgent()).addInteger(limit + 1);
        return pool.preparedQuery(SQL).execute(args)
                .map(rows -> {
                    List<StoredMessage> found = new ArrayList<>();
                    for (Row r : rows) {
                        found.add(row(r));
                    }
                    return found;
                })
                .chain(found -> decryptor.frames(found.stream().limit(limit).toList())
                        .map(frames -> new SearchResult(frames, found.size() > limit)))
                .call(result -> audits(reader, scope, words.size(), result))
                .invoke(() -> metrics.search(scope.code()));
    }

    private Uni<Void> audits(Reader reader, SearchScope scope, int wordCount, SearchResult result) {
        Uni<Void> out = Uni.createFrom().voidItem();
        // Staff searches reach other people's conversations: audited with counts, never the words.
        if (reader.isCompliance() || reader.isSupervisor() || reader.isAgent()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("scope", scope.code());
            details.put("wordCount", wordCount);
            details.put("resultCount", result.messages().size());
            List<String> conversationIds = result.messages().stream().map(f -> f.conversationId().toString()).distinct().toList();
            details.put("conversationCount", conversationIds.size());
            // Which conversations the staff member read from (ids only).
            details.put("conversationIds", conversationIds);
            out = out.call(() -> audit.publish(AuditEvent.of(reader, AuditEvent.TRANSCRIPT_SEARCH, "transcripts", "search",
                    AuditEvent.SUCCESS, details)));
        }
        Map<java.util.UUID, List<MessageFrame>> failed = result.messages().stream().filter(MessageFrame::failed)
                .collect(Collectors.groupingBy(MessageFrame::conversationId, LinkedHashMap::new, Collectors.toList()));
        for (var e : failed.entrySet()) {
            out = out.call(() -> audit.publish(HistoryReads.integrityFailure(reader, e.getKey(), e.getValue())));
        }
        return out;
    }

    private static StoredMessage row(Row r) {
        StoredMessage m = new StoredMessage();
        m.messageId = r.getUUID("message_id");
        m.conversationId = r.getUUID("conversation_id");
        m.seq = r.getLong("seq");
        m.senderUserId = r.getString("sender_user_id");
        m.senderRole = r.getString("sender_role");
        m.verifiedAgent = Boolean.TRUE.equals(r.getBoolean("verified_agent"));
        m.sentAt = r.getOffsetDateTime("sent_at").toInstant();
        m.dataKeyId = r.getLong("data_key_id");
        m.ciphertext = r.getBuffer("ciphertext").getBytes();
        return m;
    }
}
