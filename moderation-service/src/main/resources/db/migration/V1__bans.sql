-- Bans by user, guest fingerprint or IP hash, with expiry (ARCHITECTURE section 6).
CREATE TABLE bans (
    id            uuid        PRIMARY KEY,
    subject_kind  text        NOT NULL CHECK (subject_kind IN ('USER', 'GUEST_FINGERPRINT', 'IP_HASH')),
    subject       text        NOT NULL,
    reason        text        NOT NULL,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    lifted_at     timestamptz,
    lifted_by     text
);
CREATE INDEX bans_active ON bans (subject_kind, subject) WHERE lifted_at IS NULL;
