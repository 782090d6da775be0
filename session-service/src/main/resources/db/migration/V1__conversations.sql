-- Conversation state is durable here (ARCHITECTURE section 2); Redis is only a cache.
CREATE TABLE conversations (
    id            uuid        PRIMARY KEY,
    queue         text        NOT NULL,
    customer_id   text        NOT NULL,
    agent_id      text,
    state         text        NOT NULL CHECK (state IN ('QUEUED', 'ASSIGNED', 'CLOSED')),
    -- The last seq given to an accepted message; seq is gap-free per conversation.
    last_seq      bigint      NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_queue_state ON conversations (queue, state);
CREATE INDEX conversations_customer ON conversations (customer_id);
