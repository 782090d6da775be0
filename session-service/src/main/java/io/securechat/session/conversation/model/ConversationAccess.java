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

    // --- reads through the REST API (agent console, customer widget) ------------------------

    /** What a REST caller reads: a conversation's summary, or its messages. */
    public enum Read { SUMMARY, MESSAGES }

    /**
     * Why a caller may read, or {@link #NONE}. Kept in the audit details of a message read, so
     * an auditor sees on which rule it rested.
     */
    public enum ReadBasis {
        /** The conversation's own customer. */
        CUSTOMER,
        /** The agent it is assigned to (also after the close: the agent who had it last). */
        ASSIGNED_AGENT,
        /** Any supervisor (all supervisors watch all queues until queues have their own). */
        SUPERVISOR,
        /** Compliance reads transcripts; every message read is audited. */
        COMPLIANCE,
        /** Any agent, the summary of a conversation waiting in a queue (the queue view shows it already). */
        QUEUE_VIEW,
        /**
         * An agent who is now assigned an open conversation with the same customer: reads that
         * customer's other (earlier) conversations, to help them with context.
         */
        SERVING_AGENT,
        NONE;

        public boolean allowed() {
            return this != NONE;
        }

        /** The audit details' code: {@code serving_agent}. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Whether a REST caller may read a conversation. Whoever may not gets 404, as for an unknown
     * id, so the answer does not confirm that someone else's conversation exists.
     *
     * @param servesCustomer whether the caller is the agent of an ASSIGNED conversation with this
     *     conversation's customer (asked of the database only when nothing else allows the read)
     */
    public static ReadBasis read(Read what, ActorRecord reader, ConversationSummary c, boolean servesCustomer) {
        if (c == null || reader == null || reader.userId() == null) {
            return ReadBasis.NONE;
        }
        if (reader.userId().equals(c.customerId())) {
            return ReadBasis.CUSTOMER;
        }
        boolean staff = reader.isAgent() || reader.isSupervisor();
        if (staff && reader.userId().equals(c.agentId())) {
            return ReadBasis.ASSIGNED_AGENT;
        }
        if (reader.isSupervisor()) {
            return ReadBasis.SUPERVISOR;
        }
        if (reader.hasRole("compliance")) {
            return ReadBasis.COMPLIANCE;
        }
        if (reader.isAgent() && what == Read.SUMMARY && c.state() == ConversationState.QUEUED) {
            return ReadBasis.QUEUE_VIEW;
        }
        if (reader.isAgent() && servesCustomer) {
            return ReadBasis.SERVING_AGENT;
        }
        return ReadBasis.NONE;
    }

    /**
     * Whether a REST caller may list a customer's conversations: the customer themself, an
     * agent now serving them (see {@link ReadBasis#SERVING_AGENT}), supervisors and compliance.
     */
    public static ReadBasis listOfCustomer(ActorRecord reader, String customerId, boolean servesCustomer) {
        if (reader == null || reader.userId() == null || customerId == null) {
            return ReadBasis.NONE;
        }
        if (reader.userId().equals(customerId)) {
            return ReadBasis.CUSTOMER;
        }
        if (reader.isSupervisor()) {
            return ReadBasis.SUPERVISOR;
        }
        if (reader.hasRole("compliance")) {
            return ReadBasis.COMPLIANCE;
        }
        return reader.isAgent() && servesCustomer ? ReadBasis.SERVING_AGENT : ReadBasis.NONE;
    }

    /** A message read leaves an audit record unless the customer reads their own conversation. */
    public static boolean audited(ReadBasis basis) {
        return basis.allowed() && basis != ReadBasis.CUSTOMER;
    }
}
