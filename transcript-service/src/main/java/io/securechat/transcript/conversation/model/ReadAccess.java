package io.securechat.transcript.conversation.model;

import io.securechat.transcript.api.Reader;
import java.util.Locale;

/**
 * Who may read a conversation's transcript (ARCHITECTURE section 6), the same rules as
 * session-service's {@code ConversationAccess.read} for messages:
 *
 * <ul>
 *   <li>its customer (also after the close);</li>
 *   <li>its assigned agent (after the close: the agent who had it last);</li>
 *   <li>an agent now assigned an ASSIGNED conversation with the same customer (the console's
 *       "earlier conversations" of the customer they serve);</li>
 *   <li>any supervisor (all queues, issue 3) and compliance.</li>
 * </ul>
 *
 * Everyone else gets 404, exactly as for an unknown id: the answer never confirms that someone
 * else's conversation exists. Pure: the caller asks the database whether the agent serves the
 * customer, and only when nothing else allows the read.
 */
public final class ReadAccess {

    private ReadAccess() {}

    /** Why a caller may read, or {@link #NONE}; written into the audit details. */
    public enum Basis {
        CUSTOMER, ASSIGNED_AGENT, SERVING_AGENT, SUPERVISOR, COMPLIANCE, NONE;

        public boolean allowed() {
            return this != NONE;
        }

        /** The audit and metric code: {@code serving_agent}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a read needs to know of a conversation; {@code customerId} and {@code agentId} are null when unknown. */
    public record Subject(String customerId, String agentId) {

        public static Subject of(Conversation c) {
            return c == null ? new Subject(null, null) : new Subject(c.customerId, c.agentId);
        }
    }

    /**
     * @param c what we know of the conversation (null: nothing, not even that it exists)
     * @param servesCustomer whether the reader is the agent of an ASSIGNED conversation with c's customer
     */
    public static Basis read(Reader reader, Subject c, boolean servesCustomer) {
        if (c == null || reader == null || reader.userId() == null) {
            return Basis.NONE;
        }
        if (reader.userId().equals(c.customerId())) {
            return Basis.CUSTOMER;
        }
        boolean staff = reader.isAgent() || reader.isSupervisor();
        if (staff && reader.userId().equals(c.agentId())) {
            return Basis.ASSIGNED_AGENT;
        }
        if (reader.isSupervisor()) {
            return Basis.SUPERVISOR;
        }
        if (reader.isCompliance()) {
            return Basis.COMPLIANCE;
        }
        if (reader.isAgent() && servesCustomer && c.customerId() != null) {
            return Basis.SERVING_AGENT;
        }
        return Basis.NONE;
    }

    /**
     * The subscribe rule (session-service's {@code ConversationAccess} SUBSCRIBE), for what a socket
     * resumes: the conversation's customer, its current (or, after the close, last) assigned agent,
     * and supervisors. Compliance and serving agents read through the history API, never through a
     * resume: {@link Basis#NONE} for them.
     */
    public static Basis subscribe(Reader reader, Subject c) {
        if (c == null || reader == null || reader.userId() == null) {
            return Basis.NONE;
        }
        if (reader.userId().equals(c.customerId())) {
            return Basis.CUSTOMER;
        }
        if (reader.userId().equals(c.agentId())) {
            return Basis.ASSIGNED_AGENT;
        }
        return reader.isSupervisor() ? Basis.SUPERVISOR : Basis.NONE;
    }

    /** Whether the database should be asked if the reader serves the conversation's customer. */
    public static boolean needsServingCheck(Reader reader, Subject c) {
        return c != null && c.customerId() != null && reader.isAgent() && !read(reader, c, false).allowed();
    }

    /** A read leaves an audit record unless the customer reads their own conversation. */
    public static boolean audited(Basis basis) {
        return basis.allowed() && basis != Basis.CUSTOMER;
    }

    /** Which conversations a search may return messages from. */
    public enum SearchScope {
        /** Supervisors and compliance: every conversation. */
        ALL,
        /** Customers and agents: their own (as customer), and for agents those assigned to them or of a customer they serve. */
        OWN;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static SearchScope searchScope(Reader reader) {
        return reader.isSupervisor() || reader.isCompliance() ? SearchScope.ALL : SearchScope.OWN;
    }
}
