package io.securechat.transcript.privacy.service;

import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.messaging.AuditPublisher;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.securechat.transcript.privacy.model.LegalHold;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Legal holds: set and lifted by compliance (audited), kept after lifting with who and when. */
@ApplicationScoped
public class LegalHolds {

    public static final int MAX_REASON = 1000;
    static final String COLUMNS = "hold_id, conversation_id, subject_id, reason, created_by, created_at, lifted_at, lifted_by";

    private final Pool pool;
    private final AuditPublisher audit;

    public LegalHolds(Pool pool, AuditPublisher audit) {
        this.pool = pool;
        this.audit = audit;
    }

    public record NewHold(String conversationId, String subjectId, String reason) {}

    /** Checks the request (400 on anything wrong) before anything is stored. */
    public static NewHold check(NewHold body) {
        if (body == null) {
            throw new ApiError.BadRequest("a JSON body {conversationId | subjectId, reason} is required");
        }
        boolean conv = body.conversationId() != null && !body.conversationId().isBlank();
        boolean subj = body.subjectId() != null && !body.subjectId().isBlank();
        if (conv == subj) {
            throw new ApiError.BadRequest("exactly one of conversationId and subjectId is required");
        }
        if (conv && ApiError.uuidOrNull(body.conversationId().trim()) == null) {
            throw new ApiError.BadRequest("conversationId must be a UUID");
        }
        if (subj && (body.subjectId().length() > 200 || body.subjectId().codePoints().anyMatch(Character::isISOControl))) {
            throw new ApiError.BadRequest("subjectId must be a user id");
        }
        if (body.reason() == null || body.reason().isBlank() || body.reason().length() > MAX_REASON
                || body.reason().codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw new ApiError.BadRequest("reason is required: 1 to " + MAX_REASON + " characters");
        }
        return body;
    }

    public Uni<LegalHold> set(Reader actor, NewHold body) {
        UUID id = UUID.randomUUID();
        UUID conversation = body.conversationId() == null || body.conversationId().isBlank() ? null
                : UUID.fromString(body.conversationId().trim());
        String subject = conversation != null ? null : body.subjectId().trim();
        return pool.preparedQuery("INSERT INTO legal_holds (hold_id, conversation_id, subject_id, reason, created_by) "
                        + "VALUES ($1, $2, $3, $4, $5) RETURNING " + COLUMNS)
                .execute(Tuple.of(id, conversation, subject, body.reason().strip(), actor.userId()))
                .map(rows -> row(rows.iterator().next()))
                .call(h -> audit.publish(AuditEvent.of(actor, AuditEvent.LEGAL_HOLD_SET, "legal_hold", id.toString(),
                        AuditEvent.SUCCESS, scope(h))));
    }

    /** Null when unknown; the hold as it is when lifted already ({@code liftedAt} set before). */
    public Uni<LegalHold> lift(Reader actor, UUID holdId) {
        return pool.preparedQuery("UPDATE legal_holds SET lifted_at = now(), lifted_by = $2 WHERE hold_id = $1 "
                        + "AND lifted_at IS NULL RETURNING " + COLUMNS)
                .execute(Tuple.of(holdId, actor.userId()))
                .chain(rows -> {
                    if (rows.iterator().hasNext()) {
                        LegalHold h = row(rows.iterator().next());
                        return audit.publish(AuditEvent.of(actor, AuditEvent.LEGAL_HOLD_LIFTED, "legal_hold",
                                holdId.toString(), AuditEvent.SUCCESS, scope(h))).replaceWith(h);
                    }
                    return find(holdId);
                });
    }

    public Uni<LegalHold> find(UUID holdId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM legal_holds WHERE hold_id = $1").execute(Tuple.of(holdId))
                .map(rows -> rows.iterator().hasNext() ? row(rows.iterator().next()) : null);
    }

    public Uni<List<LegalHold>> list(boolean activeOnly) {
        return list(pool, activeOnly);
    }

    static Uni<List<LegalHold>> list(SqlClient client, boolean activeOnly) {
        return client.query("SELECT " + COLUMNS + " FROM legal_holds" + (activeOnly ? " WHERE lifted_at IS NULL" : "")
                        + " ORDER BY created_at DESC, hold_id").execute()
                .map(rows -> {
                    List<LegalHold> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(row(r));
                    }
                    return out;
                });
    }

    /** Active holds that could cover this subject or these conversations. */
    static Uni<List<LegalHold>> activeFor(SqlClient client, String subject, List<UUID> conversations) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM legal_holds WHERE lifted_at IS NULL AND "
                        + "(subject_id = $1 OR conversation_id = ANY($2)) ORDER BY created_at, hold_id")
                .execute(Tuple.of(subject, conversations.toArray(UUID[]::new)))
                .map(rows -> {
                    List<LegalHold> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(row(r));
                    }
                    return out;
                });
    }

    private static Map<String, Object> scope(LegalHold h) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("scope", h.conversationId() != null ? "conversation" : "subject");
        d.put(h.conversationId() != null ? "conversationId" : "subjectId",
                h.conversationId() != null ? h.conversationId().toString() : h.subjectId());
        return d;
    }

    static LegalHold row(Row r) {
        OffsetDateTime lifted = r.getOffsetDateTime("lifted_at");
        return new LegalHold(r.getUUID("hold_id"), r.getUUID("conversation_id"), r.getString("subject_id"),
                r.getString("reason"), r.getString("created_by"), r.getOffsetDateTime("created_at").toInstant(),
                lifted == null ? null : lifted.toInstant(), r.getString("lifted_by"));
    }
}
