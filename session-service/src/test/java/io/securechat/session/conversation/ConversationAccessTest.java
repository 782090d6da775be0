package io.securechat.session.conversation;

import static io.securechat.session.conversation.model.ConversationAccess.Action.ACCEPT;
import static io.securechat.session.conversation.model.ConversationAccess.Action.CLOSE;
import static io.securechat.session.conversation.model.ConversationAccess.Action.READ;
import static io.securechat.session.conversation.model.ConversationAccess.Action.SEND;
import static io.securechat.session.conversation.model.ConversationAccess.Action.SUBSCRIBE;
import static io.securechat.session.conversation.model.ConversationAccess.Action.TRANSFER;
import static io.securechat.session.conversation.model.ConversationAccess.Action.TYPING;
import static io.securechat.session.conversation.model.ConversationAccess.Decision.ALLOW;
import static io.securechat.session.conversation.model.ConversationAccess.Decision.CLOSED;
import static io.securechat.session.conversation.model.ConversationAccess.Decision.FORBIDDEN;
import static io.securechat.session.conversation.model.ConversationAccess.Decision.NOT_FOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.securechat.session.conversation.model.Conversation;
import io.securechat.session.conversation.model.ConversationAccess;
import io.securechat.session.conversation.model.ConversationState;
import io.securechat.session.messaging.event.ActorRecord;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConversationAccessTest {

    private static final ActorRecord CUSTOMER = actor("cust", "customer");
    private static final ActorRecord OTHER_CUSTOMER = actor("cust2", "customer");
    private static final ActorRecord AGENT = actor("agent", "agent");
    private static final ActorRecord OTHER_AGENT = actor("agent2", "agent");
    private static final ActorRecord SUPERVISOR = actor("sup", "supervisor");
    private static final ActorRecord SUBSCRIBED_SUPERVISOR = actor("sup-in", "supervisor");

    private static ActorRecord actor(String id, String role) {
        return new ActorRecord(id, List.of(role), id, false, null);
    }

    private static Conversation conversation(ConversationState state, String agentId) {
        Instant now = Instant.now();
        return new Conversation(UUID.randomUUID(), "support", "cust", "Cust", false, agentId, null, state, 0, null, null,
                now, now, now, List.of("sup-in"));
    }

    private static final Conversation QUEUED = conversation(ConversationState.QUEUED, null);
    private static final Conversation ASSIGNED = conversation(ConversationState.ASSIGNED, "agent");
    private static final Conversation CLOSED_ONE = conversation(ConversationState.CLOSED, "agent");

    private static ConversationAccess.Decision decide(ConversationAccess.Action a, ActorRecord who, Conversation c) {
        return ConversationAccess.decide(a, who, c);
    }

    @Test
    void participantsSendTypeReadAndClose() {
        for (var action : List.of(SEND, TYPING, READ, CLOSE)) {
            assertEquals(ALLOW, decide(action, CUSTOMER, ASSIGNED), action.name());
            assertEquals(ALLOW, decide(action, AGENT, ASSIGNED), action.name());
            assertEquals(ALLOW, decide(action, SUBSCRIBED_SUPERVISOR, ASSIGNED), action.name());
        }
    }

    @Test
    void aMessageFromANonParticipantIsForbidden() {
        assertEquals(FORBIDDEN, decide(SEND, OTHER_CUSTOMER, ASSIGNED));
        assertEquals(FORBIDDEN, decide(SEND, OTHER_AGENT, ASSIGNED));
        assertEquals(FORBIDDEN, decide(SEND, SUPERVISOR, ASSIGNED));
    }

    @Test
    void strangersCannotLearnThatAConversationExists() {
        assertEquals(NOT_FOUND, decide(TYPING, OTHER_CUSTOMER, ASSIGNED));
        assertEquals(NOT_FOUND, decide(SUBSCRIBE, OTHER_CUSTOMER, ASSIGNED));
        assertEquals(NOT_FOUND, decide(CLOSE, OTHER_AGENT, ASSIGNED));
        assertEquals(NOT_FOUND, decide(ACCEPT, OTHER_AGENT, ASSIGNED));
        assertEquals(NOT_FOUND, decide(TRANSFER, OTHER_CUSTOMER, ASSIGNED));
        assertEquals(NOT_FOUND, decide(SEND, CUSTOMER, null));
    }

    @Test
    void whoMayKnowItButNotDoItIsForbidden() {
        // Agents see the waiting queue, supervisors see everything.
        assertEquals(FORBIDDEN, decide(CLOSE, OTHER_AGENT, QUEUED));
        assertEquals(FORBIDDEN, decide(TYPING, SUPERVISOR, ASSIGNED));
        assertEquals(FORBIDDEN, decide(ACCEPT, CUSTOMER, QUEUED));
        assertEquals(FORBIDDEN, decide(TRANSFER, CUSTOMER, ASSIGNED));
        assertEquals(FORBIDDEN, decide(SUBSCRIBE, OTHER_AGENT, QUEUED));
    }

    @Test
    void onlyAgentsAcceptAndOnlyWhileItWaits() {
        assertEquals(ALLOW, decide(ACCEPT, OTHER_AGENT, QUEUED));
        assertEquals(FORBIDDEN, decide(ACCEPT, SUPERVISOR, QUEUED));
        assertEquals(ALLOW, decide(ACCEPT, AGENT, ASSIGNED)); // their own: a no-op
        assertEquals(CLOSED, decide(ACCEPT, AGENT, CLOSED_ONE));
    }

    @Test
    void theAssignedAgentAndSupervisorsTransfer() {
        assertEquals(ALLOW, decide(TRANSFER, AGENT, ASSIGNED));
        assertEquals(ALLOW, decide(TRANSFER, SUPERVISOR, ASSIGNED));
        assertEquals(ALLOW, decide(TRANSFER, SUPERVISOR, QUEUED));
        assertEquals(FORBIDDEN, decide(TRANSFER, OTHER_AGENT, QUEUED));
        assertEquals(CLOSED, decide(TRANSFER, AGENT, CLOSED_ONE));
    }

    @Test
    void supervisorsSubscribeToAnyConversationAndHistoryStaysReadable() {
        assertEquals(ALLOW, decide(SUBSCRIBE, SUPERVISOR, ASSIGNED));
        assertEquals(ALLOW, decide(SUBSCRIBE, CUSTOMER, CLOSED_ONE));
        assertEquals(ALLOW, decide(SUBSCRIBE, AGENT, CLOSED_ONE));
    }

    @Test
    void aClosedConversationTakesNoMoreMessages() {
        assertEquals(CLOSED, decide(SEND, CUSTOMER, CLOSED_ONE));
        assertEquals(CLOSED, decide(CLOSE, AGENT, CLOSED_ONE));
        assertEquals(FORBIDDEN, decide(SEND, OTHER_CUSTOMER, CLOSED_ONE));
    }

    @Test
    void guestsAreCustomers() {
        ActorRecord guest = new ActorRecord("guest:1", List.of("guest"), "G", true, "ab");
        assertEquals(true, guest.isCustomer());
        assertEquals(false, AGENT.isCustomer());
    }
}
