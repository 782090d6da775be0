package io.securechat.audit.trail;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One appended event ({@code audit_records}). {@link #entry} is the exact canonical JSON that
 * {@link #hash} covers; the other columns copy fields of it for querying, and verification checks
 * that they still match. Rows are only ever inserted: the database refuses anything else.
 */
@Entity
@Table(name = "audit_records")
public class AuditRecord {

    @Id
    public long seq;

    @Column(name = "event_id", nullable = false, updatable = false)
    public UUID eventId;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    public OffsetDateTime occurredAt;

    @Column(name = "recorded_at", nullable = false, updatable = false)
    public OffsetDateTime recordedAt;

    @Column(name = "actor_id", updatable = false)
    public String actorId;

    @Column(nullable = false, updatable = false)
    public String action;

    @Column(name = "resource_type", nullable = false, updatable = false)
    public String resourceType;

    @Column(name = "resource_id", nullable = false, updatable = false)
    public String resourceId;

    @Column(nullable = false, updatable = false)
    public String outcome;

    @Column(updatable = false)
    public String service;

    @Column(nullable = false, updatable = false)
    public String entry;

    @Column(name = "prev_hash", nullable = false, updatable = false)
    public String prevHash;

    @Column(nullable = false, updatable = false)
    public String hash;
}
