package io.securechat.audit.trail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securechat.auditproof.AuditEntry;
import io.securechat.auditproof.Hex;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Appends a batch of events to the chain in one transaction. A transaction-scoped advisory lock
 * makes appends from every instance strictly sequential (the writer role may not lock rows: it
 * holds only INSERT and SELECT), so each record's seq and prevHash follow the committed head.
 * An event whose eventId is already stored is skipped: a redelivery is stored once.
 */
@ApplicationScoped
public class AuditAppender {

    /** The advisory lock that serialises appends (any constant private to this database). */
    static final long APPEND_LOCK = 7_415_331_009L;

    private final Mutiny.SessionFactory sessions;
    private final Trail trail;
    private final AuditMetrics metrics;

    public AuditAppender(Mutiny.SessionFactory sessions, Trail trail, AuditMetrics metrics) {
        this.sessions = sessions;
        this.trail = trail;
        this.metrics = metrics;
    }

    /** Appends the events not stored yet, in the given order; answers how many were new. */
    public Uni<Integer> append(List<IncomingEvent> batch) {
        Map<UUID, IncomingEvent> unique = new LinkedHashMap<>();
        batch.forEach(e -> unique.putIfAbsent(e.eventId(), e));
        if (unique.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int deliveredTwice = batch.size() - unique.size();
        return sessions.withTransaction((s, tx) -> s
                .createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")) l", Long.class)
                .getSingleResult()
                .chain(() -> s.createNativeQuery("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1", Object[].class)
                        .getResultList())
                .chain(head -> {
                    Long headSeq = head.isEmpty() ? null : ((Number) head.get(0)[0]).longValue();
                    String headHash = head.isEmpty() ? null : String.valueOf(head.get(0)[1]);
                    return trail.checkHead(headSeq, headHash).replaceWith(headSeq == null ? 0L : headSeq);
                })
                .chain(headSeq -> s.createSelectionQuery("select r.eventId from AuditRecord r where r.eventId in :ids", UUID.class)
                        .setParameter("ids", unique.keySet())
                        .getResultList()
                        .map(stored -> build(unique, new HashSet<>(stored), headSeq, trail.lastHash())))
                .chain(records -> s.persistAll(records.toArray()).replaceWith(records)))
                .invoke(records -> {
                    // Committed: this instance's tree grows by exactly what it wrote.
                    for (AuditRecord r : records) {
                        trail.accept(r.seq, r.entry, r.prevHash, r.hash);
                    }
                    metrics.appended.increment(records.size());
                    metrics.duplicates.increment(deliveredTwice + (unique.size() - records.size()));
                })
                .map(List::size);
    }

    private static List<AuditRecord> build(Map<UUID, IncomingEvent> events, Set<UUID> stored, long headSeq, String headHash) {
        List<AuditRecord> out = new ArrayList<>();
        long seq = headSeq;
        String prev = headHash;
        // Microseconds: the precision PostgreSQL keeps, so the column equals the hashed text.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (IncomingEvent e : events.values()) {
            if (stored.contains(e.eventId())) {
                continue;
            }
            seq++;
            AuditEntry entry = new AuditEntry(seq, now.toString(), prev, e.event());
            AuditRecord r = new AuditRecord();
            r.seq = seq;
            r.eventId = e.eventId();
            r.occurredAt = e.occurredAt().atOffset(ZoneOffset.UTC);
            r.recordedAt = now.atOffset(ZoneOffset.UTC);
            r.actorId = e.actorId();
            r.action = e.action();
            r.resourceType = e.resourceType();
            r.resourceId = e.resourceId();
            r.outcome = e.outcome();
            r.service = e.service();
            r.entry = new String(entry.canonicalBytes(), StandardCharsets.UTF_8);
            r.prevHash = prev;
            r.hash = Hex.of(entry.chainHash());
            prev = r.hash;
            out.add(r);
        }
        return out;
    }

    /** The event as stored: what the query API and exports return. */
    public static ObjectNode eventOf(ObjectNode entry) {
        return (ObjectNode) entry.get("event");
    }
}
