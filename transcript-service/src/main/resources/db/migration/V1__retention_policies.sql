-- Retention per queue (ARCHITECTURE section 7): an ISO-8601 period or INDEFINITE.
CREATE TABLE retention_policies (
    queue       text        PRIMARY KEY,
    policy      text        NOT NULL CHECK (policy = 'INDEFINITE' OR policy ~ '^P[0-9]+D$'),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text        NOT NULL
);
INSERT INTO retention_policies (queue, policy, updated_by) VALUES
    ('support', 'P365D', 'migration'),
    ('billing', 'P180D', 'migration');
