-- Encrypted transcripts (issue 5; README "What is stored"). Plaintext columns hold ids, seq,
-- sender userId and role, verifiedAgent, times and key ids only: no word of a message and no
-- display name. Everything else of a message is one AES-256-GCM ciphertext (Tink) under the
-- conversation's data key, which is stored only wrapped by the key-encryption key.

-- What chat.conversations.v1 says about each conversation (authorization of reads).
CREATE TABLE conversations (
    id             uuid        PRIMARY KEY,
    queue          text,
    customer_id    text,
    agent_id       text,
    state          text        NOT NULL CHECK (state IN ('QUEUED', 'ASSIGNED', 'CLOSED')),
    started_at     timestamptz,
    closed_at      timestamptz,
    last_event_at  timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_customer ON conversations (customer_id);
-- "an agent serving the same customer": the agent's ASSIGNED conversations.
CREATE INDEX conversations_assigned_agent ON conversations (agent_id, customer_id) WHERE state = 'ASSIGNED';

-- One data key per conversation (a Tink AES256_GCM keyset), wrapped by the KEK key kek_key_id
-- (Tink key ids are unsigned 32-bit), with associated data 'securechat:conversation:<id>'.
CREATE TABLE conversation_keys (
    conversation_id  uuid        PRIMARY KEY,
    wrapped_key      bytea       NOT NULL,
    kek_key_id       bigint      NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    rewrapped_at     timestamptz
);
CREATE INDEX conversation_keys_kek ON conversation_keys (kek_key_id);

-- One row per messageId (idempotent store); seq unique per conversation.
CREATE TABLE messages (
    message_id       uuid        PRIMARY KEY,
    conversation_id  uuid        NOT NULL,
    seq              bigint      NOT NULL CHECK (seq > 0),
    sender_user_id   text        NOT NULL,
    sender_role      text,
    verified_agent   boolean     NOT NULL,
    sent_at          timestamptz NOT NULL,
    data_key_id      bigint      NOT NULL,
    -- Tink AEAD of the JSON {v, text, redactions, displayName, attachmentIds}, associated data
    -- 'securechat:message:v1|<conversationId>|<seq>|<messageId>'.
    ciphertext       bytea       NOT NULL,
    stored_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT messages_conversation_seq UNIQUE (conversation_id, seq)
);
CREATE INDEX messages_sent_at ON messages (sent_at DESC);

-- Blind index: PRF(index key, 'securechat:term:v1:' + word) truncated to 16 bytes, one row per
-- distinct word of a message. Equal words give equal terms; the words themselves are not here.
CREATE TABLE message_terms (
    conversation_id  uuid   NOT NULL,
    seq              bigint NOT NULL,
    term             bytea  NOT NULL CHECK (length(term) = 16),
    PRIMARY KEY (conversation_id, seq, term)
);
CREATE INDEX message_terms_term ON message_terms (term);
