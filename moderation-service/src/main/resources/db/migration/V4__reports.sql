-- User reports (chat.commands.v1 type "report", docs/moderation-actions.md): the moderator queue.
-- The id is the report command's commandId, so a redelivered command is the same report.
-- `reason` is the reporter's free text (<= 500 characters, checked by the gateway): it is shown
-- to moderators and never copied into logs, metrics or audit records.
CREATE TABLE reports (
    id                uuid        PRIMARY KEY,
    reported_at       timestamptz NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    reporter_id       text        NOT NULL,
    reporter_roles    text[]      NOT NULL DEFAULT '{}',
    reported_user_id  text        NOT NULL,
    conversation_id   uuid        NOT NULL,
    reason            text        NOT NULL,
    message_ids       uuid[]      NOT NULL DEFAULT '{}',
    status            text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RESOLVED')),
    resolution        text        CHECK (resolution IN ('DISMISSED', 'ACTIONED')),
    note              text,
    resolved_by       text,
    resolved_at       timestamptz,
    CHECK ((status = 'OPEN') = (resolution IS NULL))
);
-- The queue: newest first per status, paged by (reported_at, id).
CREATE INDEX reports_queue ON reports (status, reported_at DESC, id DESC);
