-- Attachments, retention purge, legal holds and GDPR (issue 5, part 2; README).

-- One Tink StreamingAead keyset (AES256_GCM_HKDF_1MB) per conversation for its attachments,
-- wrapped by the KEK like the data key, associated data 'securechat:attachment-key:<conversationId>'.
CREATE TABLE attachment_keys (
    conversation_id  uuid        PRIMARY KEY,
    wrapped_key      bytea       NOT NULL,
    kek_key_id       bigint      NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    rewrapped_at     timestamptz
);
CREATE INDEX attachment_keys_kek ON attachment_keys (kek_key_id);

-- An uploaded file. Plaintext: ids, uploader, size, times. The filename, content type and
-- SHA-256 of the plaintext are in 'metadata' (StreamingAead under the conversation's attachment
-- key, associated data 'securechat:attachment-meta:v1|<conversationId>|<attachmentId>').
CREATE TABLE attachments (
    attachment_id    uuid        PRIMARY KEY,
    conversation_id  uuid        NOT NULL,
    uploader_id      text        NOT NULL,
    size             bigint      NOT NULL DEFAULT 0,
    metadata         bytea,
    complete         boolean     NOT NULL DEFAULT false,
    message_id       uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    linked_at        timestamptz
);
CREATE INDEX attachments_conversation ON attachments (conversation_id);
CREATE INDEX attachments_message ON attachments (message_id) WHERE message_id IS NOT NULL;

-- The file's ciphertext (one StreamingAead stream, associated data
-- 'securechat:attachment:v1|<conversationId>|<attachmentId>') cut into chunks of about 1 MiB.
CREATE TABLE attachment_chunks (
    attachment_id  uuid   NOT NULL REFERENCES attachments (attachment_id) ON DELETE CASCADE,
    idx            int    NOT NULL CHECK (idx >= 0),
    data           bytea  NOT NULL,
    PRIMARY KEY (attachment_id, idx)
);

-- Erasure marks the conversation (its keys are gone); compliance still sees that it existed.
ALTER TABLE conversations ADD COLUMN erased_at timestamptz;

-- Conversations purged (retention) or erased (GDPR): late records for them are not stored again.
CREATE TABLE conversation_tombstones (
    conversation_id  uuid        PRIMARY KEY,
    reason           text        NOT NULL CHECK (reason IN ('retention', 'erasure')),
    at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_tombstones_at ON conversation_tombstones (at);

-- Legal holds: on one conversation or on a subject (every conversation where they are the customer).
CREATE TABLE legal_holds (
    hold_id          uuid        PRIMARY KEY,
    conversation_id  uuid,
    subject_id       text,
    reason           text        NOT NULL,
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    lifted_at        timestamptz,
    lifted_by        text,
    CHECK ((conversation_id IS NULL) <> (subject_id IS NULL))
);
CREATE INDEX legal_holds_active_conversation ON legal_holds (conversation_id) WHERE lifted_at IS NULL;
CREATE INDEX legal_holds_active_subject ON legal_holds (subject_id) WHERE lifted_at IS NULL;

-- Consents from audit.events.v1 (guest.session.created), once per eventId.
CREATE TABLE consents (
    event_id        uuid        PRIMARY KEY,
    subject_id      text        NOT NULL,
    policy_version  text        NOT NULL,
    consent_at      timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consents_subject ON consents (subject_id);

-- Subjects erased (ids and counts only).
CREATE TABLE erasures (
    subject_id       text        PRIMARY KEY,
    erased_at        timestamptz NOT NULL DEFAULT now(),
    erased_by        text        NOT NULL,
    conversations    int         NOT NULL,
    keys_destroyed   int         NOT NULL
);
