-- The export finds every conversation a subject sent messages in (an agent's, after a transfer).
CREATE INDEX messages_sender ON messages (sender_user_id, conversation_id);
