-- The queue of each conversation, from chat.conversations.v1 (session-service's lifecycle events):
-- the text policies take per-queue settings (chat.policy.queues."<queue>".*), and chat.inbound.v1
-- names only the conversation. One row per conversation, moved by later events only (occurred_at),
-- so a redelivered or out-of-order event never moves a conversation back to a queue it left.
-- conversation_id is text, not uuid: it is compared with whatever an inbound record carries.
CREATE TABLE conversation_queues (
    conversation_id  text        PRIMARY KEY,
    queue            text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
