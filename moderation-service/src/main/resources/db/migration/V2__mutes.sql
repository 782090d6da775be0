-- Mutes (ARCHITECTURE section 4, moderation.actions.v1 "mute"): a muted subject stays connected
-- but every message it sends is blocked with the reason `muted`.
--
-- Mutes live in the bans table, told apart by `kind`, rather than in a table of their own:
-- a mute has exactly a ban's shape (a subject by user, guest fingerprint or IP hash; reason;
-- author; expiry; lifting), and the `bans` policy in the message path then answers "banned or
-- muted?" with one indexed query per message (bans_active covers both kinds). The table keeps
-- its name so existing readers stay valid; rows written before this migration are bans.
ALTER TABLE bans ADD COLUMN kind text NOT NULL DEFAULT 'BAN' CHECK (kind IN ('BAN', 'MUTE'));
