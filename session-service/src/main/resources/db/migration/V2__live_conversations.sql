-- Live conversations (issue 3): who is in a conversation, its queue position, the agents and
-- their capacity, the sequenced messages (temporarily: see README) and the outbox that makes
-- every produced record at-least-once.

ALTER TABLE conversations
    ADD COLUMN client_ref            text,
    ADD COLUMN subject               text,
    ADD COLUMN customer_display_name text,
    ADD COLUMN customer_guest        boolean     NOT NULL DEFAULT false,
    -- Position in the queue is by queued_at (then id); set on start and on transfer to a queue,
    -- kept on a requeue after the agent went offline, so those customers do not wait twice.
    ADD COLUMN queued_at             timestamptz,
    ADD COLUMN assigned_at           timestamptz,
    ADD COLUMN closed_at             timestamptz,
    -- Idle close: updated by start, assignment, transfer and every sequenced message.
    ADD COLUMN last_activity_at      timestamptz NOT NULL DEFAULT now();

CREATE INDEX conversations_waiting ON conversations (queued_at, id) WHERE state = 'QUEUED';
CREATE INDEX conversations_agent_active ON conversations (agent_id) WHERE state = 'ASSIGNED';
CREATE INDEX conversations_open_activity ON conversations (last_activity_at) WHERE state <> 'CLOSED';

-- Supervisors who subscribed to a conversation take part in it from then on.
CREATE TABLE conversation_supervisors (
    conversation_id uuid        NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         text        NOT NULL,
    subscribed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, user_id)
);

CREATE TABLE agents (
    user_id      text        PRIMARY KEY,
    display_name text,
    status       text        NOT NULL CHECK (status IN ('online', 'away', 'offline')),
    capacity     integer     NOT NULL CHECK (capacity > 0),
    -- Ties between equally busy agents go to the one idle longest: set when the agent comes
    -- online and on every assignment.
    idle_since   timestamptz NOT NULL,
    -- Since when no gateway node reports a socket of this agent; offline after a grace period.
    absent_since timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_available ON agents (status) WHERE status <> 'offline';

-- Accepted messages with their seq. A temporary copy until transcript-service serves history:
-- purged after chat.retention.messages (README).
CREATE TABLE messages (
    conversation_id     uuid        NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq                 bigint      NOT NULL CHECK (seq > 0),
    message_id          uuid        NOT NULL UNIQUE,
    client_msg_id       text,
    sender_id           text        NOT NULL,
    sender_role         text        NOT NULL,
    sender_display_name text,
    verified_agent      boolean     NOT NULL,
    text                text        NOT NULL,
    redactions          jsonb       NOT NULL DEFAULT '[]',
    attachment_ids      jsonb       NOT NULL DEFAULT '[]',
    sent_at             timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX messages_sent_at ON messages (sent_at);

-- What a transaction produces, written in that transaction and published after it commits.
-- source is unique: 'command:<commandId>' and 'message:<messageId>' make the consumers
-- idempotent; a redelivered record finds its row and only publishes what is still unpublished.
-- Published rows keep only their source (entries set to NULL) until the retention purge.
CREATE TABLE outbox (
    id              bigserial   PRIMARY KEY,
    source          text        NOT NULL UNIQUE,
    conversation_id uuid,
    entries         jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;
-- Jobs leave a conversation alone while something decided about it is still unpublished.
CREATE INDEX outbox_unpublished_conversation ON outbox (conversation_id) WHERE published_at IS NULL;
CREATE INDEX outbox_created ON outbox (created_at);
