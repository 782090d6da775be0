package io.securechat.session.conversation.model;

/** How a user takes part in a conversation. */
public enum Relation {
    CUSTOMER, AGENT, SUPERVISOR, NONE;

    /** Agents and supervisors speak for the business: only their messages are marked verified. */
    public boolean staff() {
        return this == AGENT || this == SUPERVISOR;
    }
}
