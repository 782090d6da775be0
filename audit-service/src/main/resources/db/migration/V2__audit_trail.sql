-- The tamper-evident audit trail (issue 7; docs/audit.md).
-- V1's audit_events never held a consumed event (nothing consumed audit.events.v1 before this
-- issue), so it is replaced rather than migrated.
DROP TABLE audit_events;

-- One row per appended event. entry is the exact canonical JSON (RFC 8785) of
-- {"seq","recordedAt","prevHash","event"}; hash = SHA-256(entry), hex; prev_hash = the hash of
-- seq - 1 (64 zeros for seq 1). The other columns are copies of fields of entry for querying;
-- verification checks they still match it.
CREATE TABLE audit_records (
    seq            bigint      PRIMARY KEY CHECK (seq > 0),
    event_id       uuid        NOT NULL UNIQUE,
    occurred_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL,
    actor_id       text,
    action         text        NOT NULL,
    resource_type  text        NOT NULL,
    resource_id    text        NOT NULL,
    outcome        text        NOT NULL,
    service        text,
    entry          text        NOT NULL,
    prev_hash      char(64)    NOT NULL,
    hash           char(64)    NOT NULL
);
CREATE INDEX audit_records_actor ON audit_records (actor_id, seq);
CREATE INDEX audit_records_action ON audit_records (action text_pattern_ops, seq);
CREATE INDEX audit_records_resource ON audit_records (resource_type, resource_id, seq);
CREATE INDEX audit_records_occurred ON audit_records (occurred_at);

-- Signed tree heads (RFC 9162 Merkle tree over the records in seq order, Ed25519).
CREATE TABLE audit_checkpoints (
    tree_size      bigint      PRIMARY KEY CHECK (tree_size > 0),
    root_hash      char(64)    NOT NULL,
    signed_at      text        NOT NULL,
    key_id         text        NOT NULL,
    signature      text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Append-only, enforced by the database for every role, the owner included. Only a superuser
-- can get round it (session_replication_role, or dropping the trigger as owner after
-- ALTER ... DISABLE TRIGGER): that is what the hash chain and the signed tree heads detect.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- The role the service writes with: INSERT and SELECT, nothing else (created by the operator:
-- stack/postgres.sh locally, the chart's database setup in Kubernetes).
REVOKE ALL ON audit_records, audit_checkpoints FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO ${writer_role};
GRANT SELECT, INSERT ON audit_records, audit_checkpoints TO ${writer_role};
