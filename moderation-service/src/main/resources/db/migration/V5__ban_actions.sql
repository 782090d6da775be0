-- Moderator actions on bans and mutes (docs/moderation-actions.md): the report a ban answers,
-- why it was lifted, and the moderator's free-text note (stored only: never audited or published).
ALTER TABLE bans ADD COLUMN report_id uuid REFERENCES reports (id);
ALTER TABLE bans ADD COLUMN lift_reason text;
ALTER TABLE bans ADD COLUMN note text;
-- The moderator lists (active, by kind, newest first) and the minute's mirror rebuild.
CREATE INDEX bans_listing ON bans (kind, created_at DESC, id DESC) WHERE lifted_at IS NULL;
