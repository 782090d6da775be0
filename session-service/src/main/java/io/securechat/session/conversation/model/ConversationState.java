package io.securechat.session.conversation.model;

/** The states of the {@code conversations.state} column. */
public enum ConversationState { QUEUED, ASSIGNED, CLOSED }
