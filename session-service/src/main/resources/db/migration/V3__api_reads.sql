-- REST reads (issue 4): a supervisor's open subscribed conversations (GET /api/v1/agents/me/conversations)
-- are looked up by user; the primary key starts with conversation_id.
CREATE INDEX conversation_supervisors_user ON conversation_supervisors (user_id);
