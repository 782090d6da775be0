package io.securechat.session.conversation.model;

import io.securechat.session.messaging.event.ActorRecord;

/**
 * Who may do what to a conversation (ARCHITECTURE section 6), checked here as well as in the
 * gateway. A user who cannot know a conversation exists gets {@link Decision#NOT_FOUND}, so
 * error codes do not reveal other people's conversations; who can know it (its participants,
 * supervisors, and agents while it waits in a queue) gets {@link Decision#FORBIDDEN}.
 */
public final class ConversationAccess {

    public enum Action { SEND, SUBSCRIBE, TYPING, READ, ACCEPT, TRANSFER, CLOSE }

    public enum Decision { ALLOW, FORBIDDEN, NOT_FOUND, CLOSED }

    private ConversationAccess() {}

    public static Decision decide(Action action, ActorRecord actor, Conversation conversation) {
        if (conversation == null) {
            return Decision.NOT_FOUND;
        }
        Relation relation = conversation.relationOf(actor.userId());
        boolean participant = relation != Relation.NONE;
        boolean closed = conversation.state() == ConversationState.CLOSED;
        boolean knows = participant || actor.isSupervisor()
                || (actor.isAgent() && conversation.state() == ConversationState.QUEUED);
        Decision hidden = knows ? Decision.FORBIDDEN : Decision.NOT_FOUND;
        return switch (action) {
            // A message names its conversation; the sender is told plainly that it is not theirs.
            case SEND -> !participant ? Decision.FORBIDDEN : closed ? Decision.CLOSED : Decision.ALLOW;
            case TYPING, READ, CLOSE -> !participant ? hidden : closed ? Decision.CLOSED : Decision.ALLOW;
            // Reading the history stays allowed after the close; supervisors may join any conversation.
            case SUBSCRIBE -> participant || actor.isSupervisor() ? Decision.ALLOW : hidden;
            case ACCEPT -> {
                if (!actor.isAgent()) {
                    yield hidden;
                }
                if (conversation.state() == ConversationState.QUEUED) {
                    yield Decision.ALLOW;
                }
                // Accepting one's own conversation again changes nothing; someone else's is not visible.
                yield relation != Relation.AGENT ? Decision.NOT_FOUND : closed ? Decision.CLOSED : Decision.ALLOW;
            }
            case TRANSFER -> relation != Relation.AGENT && !actor.isSupervisor() ? hidden
                    : closed ? Decision.CLOSED : Decision.ALLOW;
        };
    }
}
