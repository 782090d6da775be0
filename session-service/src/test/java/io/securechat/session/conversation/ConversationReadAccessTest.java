package io.securechat.session.conversation;

import static io.securechat.session.conversation.model.ConversationAccess.Read.MESSAGES;
import static io.securechat.session.conversation.model.ConversationAccess.Read.SUMMARY;
import static io.securechat.session.conversation.model.ConversationAccess.ReadBasis.ASSIGNED_AGENT;
import static io.securechat.session.conversation.model.ConversationAccess.ReadBasis.COMPLIANCE;
import static io.securechat.session.conversation.model.ConversationAccess.ReadBasis.CUSTOMER;
import static io.securechat.session.conversation.model.ConversationAccess.ReadBasis.NONE;
import static io.securechat.session.conversation.model.ConversationAccess.ReadBasis.QUEUE_VIEW;
import static io.securechat.session.conversation.model.ConversationAccess.ReadBasis.SERVING_AGENT;
import static io.securechat.session.conversation.model.ConversationAccess.ReadBasis.SUPERVISOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.session.conversation.model.ConversationAccess;
import io.securechat.session.conversation.model.ConversationState;
import io.securechat.session.conversation.model.ConversationSummary;
import io.securechat.session.delivery.model.Frames;
import io.securechat.session.messaging.event.ActorRecord;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who may read a conversation through the REST API (ConversationAccess.read / listOfCustomer). */
class ConversationReadAccessTest {

    private static final ActorRecord CUSTOMER_1 = actor("cust", "customer");
    private static final ActorRecord CUSTOMER_2 = actor("cust2", "customer");
    private static final ActorRecord AGENT_1 = actor("agent", "agent");
    private static final ActorRecord AGENT_2 = actor("agent2", "agent");
    private static final ActorRecord SUPERVISOR_1 = actor("sup", "supervisor");
    private static final ActorRecord COMPLIANCE_1 = actor("comp", "compliance");
    private static final ActorRecord MODERATOR_1 = actor("mod", "moderator");

    private static ActorRecord actor(String id, String role) {
        return new ActorRecord(id, List.of(role), id, false, null);
    }

    private static ConversationSummary conversation(ConversationState state, String agentId) {
        Instant now = Instant.now();
        return new ConversationSummary(UUID.randomUUID(), "support", state, "s", "ref",
                new ConversationSummary.Customer("cust", "Cust", false),
                agentId == null ? null : new Frames.AgentRef(agentId, agentId), now, agentId == null ? null : now,
                state == ConversationState.CLOSED ? now : null, 3);
    }

    private static final ConversationSummary QUEUED = conversation(ConversationState.QUEUED, null);
    private static final ConversationSummary ASSIGNED = conversation(ConversationState.ASSIGNED, "agent");
    private static final ConversationSummary CLOSED = conversation(ConversationState.CLOSED, "agent");

    private static ConversationAccess.ReadBasis read(ConversationAccess.Read what, ActorRecord who, ConversationSummary c) {
        return ConversationAccess.read(what, who, c, false);
    }

    @Test
    void theCustomerReadsTheirOwnConversationsOnly() {
        for (ConversationSummary c : List.of(QUEUED, ASSIGNED, CLOSED)) {
            assertEquals(CUSTOMER, read(SUMMARY, CUSTOMER_1, c));
            assertEquals(CUSTOMER, read(MESSAGES, CUSTOMER_1, c));
            assertEquals(NONE, read(SUMMARY, CUSTOMER_2, c));
            assertEquals(NONE, read(MESSAGES, CUSTOMER_2, c));
            assertEquals(NONE, ConversationAccess.read(MESSAGES, CUSTOMER_2, c, true), "customers never serve");
        }
    }

    @Test
    void theAssignedAgentReadsItAndOtherAgentsOnlyWhileItWaits() {
        assertEquals(ASSIGNED_AGENT, read(SUMMARY, AGENT_1, ASSIGNED));
        assertEquals(ASSIGNED_AGENT, read(MESSAGES, AGENT_1, ASSIGNED));
        assertEquals(ASSIGNED_AGENT, read(MESSAGES, AGENT_1, CLOSED), "the agent who had it last, as for subscribe");
        assertEquals(NONE, read(SUMMARY, AGENT_2, ASSIGNED));
        assertEquals(NONE, read(MESSAGES, AGENT_2, ASSIGNED));
        assertEquals(NONE, read(SUMMARY, AGENT_2, CLOSED));
        assertEquals(QUEUE_VIEW, read(SUMMARY, AGENT_2, QUEUED), "the queue view shows waiting ones anyway");
        assertEquals(NONE, read(MESSAGES, AGENT_2, QUEUED), "but not their messages");
    }

    @Test
    void anAgentServingTheCustomerReadsTheirOtherConversations() {
        for (ConversationSummary c : List.of(QUEUED, ASSIGNED, CLOSED)) {
            assertEquals(SERVING_AGENT, ConversationAccess.read(MESSAGES, AGENT_2, c, true));
        }
        assertEquals(SERVING_AGENT, ConversationAccess.read(SUMMARY, AGENT_2, CLOSED, true));
        assertEquals(NONE, ConversationAccess.read(MESSAGES, MODERATOR_1, CLOSED, true), "agents only");
    }

    @Test
    void supervisorsAndComplianceReadEverything() {
        for (ConversationSummary c : List.of(QUEUED, ASSIGNED, CLOSED)) {
            for (ConversationAccess.Read what : ConversationAccess.Read.values()) {
                assertEquals(SUPERVISOR, read(what, SUPERVISOR_1, c));
                assertEquals(COMPLIANCE, read(what, COMPLIANCE_1, c));
                assertEquals(NONE, read(what, MODERATOR_1, c));
            }
        }
    }

    @Test
    void nothingIsReadableWithoutAConversation() {
        assertEquals(NONE, ConversationAccess.read(SUMMARY, SUPERVISOR_1, null, true));
    }

    @Test
    void listsOfACustomersConversations() {
        assertEquals(CUSTOMER, ConversationAccess.listOfCustomer(CUSTOMER_1, "cust", false));
        assertEquals(NONE, ConversationAccess.listOfCustomer(CUSTOMER_2, "cust", false));
        assertEquals(NONE, ConversationAccess.listOfCustomer(AGENT_1, "cust", false));
        assertEquals(SERVING_AGENT, ConversationAccess.listOfCustomer(AGENT_1, "cust", true));
        assertEquals(SUPERVISOR, ConversationAccess.listOfCustomer(SUPERVISOR_1, "cust", false));
        assertEquals(COMPLIANCE, ConversationAccess.listOfCustomer(COMPLIANCE_1, "cust", false));
        assertEquals(NONE, ConversationAccess.listOfCustomer(MODERATOR_1, "cust", true));
    }

    @Test
    void everyReadButTheCustomersIsAudited() {
        assertFalse(ConversationAccess.audited(CUSTOMER));
        assertFalse(ConversationAccess.audited(NONE));
        for (var b : List.of(ASSIGNED_AGENT, SUPERVISOR, COMPLIANCE, SERVING_AGENT, QUEUE_VIEW)) {
            assertTrue(ConversationAccess.audited(b));
        }
        assertEquals("serving_agent", SERVING_AGENT.code());
    }
}
