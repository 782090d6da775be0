-- The append-only audit log (ARCHITECTURE section 8). The hash chain and Merkle checkpoints
-- arrive with the audit issue; this table is the record they are computed over.
CREATE TABLE audit_events (
    position       bigserial   PRIMARY KEY,
    event_id       uuid        NOT NULL UNIQUE,
    occurred_at    timestamptz NOT NULL,
    actor_id       text,
    action         text        NOT NULL,
    resource_type  text        NOT NULL,
    resource_id    text        NOT NULL,
    outcome        text        NOT NULL,
    record         jsonb       NOT NULL
);
CREATE INDEX audit_events_actor ON audit_events (actor_id, occurred_at);
CREATE INDEX audit_events_action ON audit_events (action, occurred_at);
CREATE INDEX audit_events_resource ON audit_events (resource_type, resource_id);
