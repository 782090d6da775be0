package io.securechat.transcript.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.transcript.api.Reader;
import io.securechat.transcript.conversation.model.ReadAccess;
import io.securechat.transcript.conversation.model.ReadAccess.Basis;
import io.securechat.transcript.conversation.model.ReadAccess.SearchScope;
import io.securechat.transcript.conversation.model.ReadAccess.Subject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who reads a transcript: the rules of session-service's ConversationAccess.read for messages. */
class ReadAccessTest {

    static Reader user(String id, String... roles) {
        return new Reader(id, List.of(roles));
    }

    final Subject c = new Subject("cust-1", "agent-1");

    @Test
    void aResumeFollowsTheSubscribeRuleParticipantsAndSupervisorsOnly() {
        assertEquals(Basis.CUSTOMER, ReadAccess.subscribe(user("cust-1", "customer"), c));
        assertEquals(Basis.ASSIGNED_AGENT, ReadAccess.subscribe(user("agent-1", "agent"), c));
        assertEquals(Basis.SUPERVISOR, ReadAccess.subscribe(user("sup-1", "supervisor"), c));
        // Compliance and other agents (serving or not) read through the history API only.
        assertEquals(Basis.NONE, ReadAccess.subscribe(user("comp-1", "compliance"), c));
        assertEquals(Basis.NONE, ReadAccess.subscribe(user("agent-2", "agent"), c));
        assertEquals(Basis.NONE, ReadAccess.subscribe(user("cust-2", "customer"), c));
        assertEquals(Basis.NONE, ReadAccess.subscribe(user("cust-1", "customer"), null));
    }

    @Test
    void theCustomerReadsTheirOwnConversationOnly() {
        assertEquals(Basis.CUSTOMER, ReadAccess.read(user("cust-1", "customer"), c, false));
        assertEquals(Basis.NONE, ReadAccess.read(user("cust-2", "customer"), c, false));
        assertFalse(ReadAccess.audited(Basis.CUSTOMER));
    }

    @Test
    void theAssignedAgentReadsOtherAgentsDoNot() {
        assertEquals(Basis.ASSIGNED_AGENT, ReadAccess.read(user("agent-1", "agent"), c, false));
        assertEquals(Basis.NONE, ReadAccess.read(user("agent-2", "agent"), c, false));
        // A user id that matches agentId but holds no staff role is not the agent.
        assertEquals(Basis.NONE, ReadAccess.read(user("agent-1", "customer"), c, false));
    }

    @Test
    void anAgentServingTheSameCustomerReadsTheirEarlierConversations() {
        Reader other = user("agent-2", "agent");
        assertTrue(ReadAccess.needsServingCheck(other, c));
        assertEquals(Basis.SERVING_AGENT, ReadAccess.read(other, c, true));
        assertTrue(ReadAccess.audited(Basis.SERVING_AGENT));
        // Serving is for agents only, and never for a conversation whose customer is unknown.
        assertEquals(Basis.NONE, ReadAccess.read(user("cust-9", "customer"), c, true));
        assertEquals(Basis.NONE, ReadAccess.read(other, new Subject(null, null), true));
        assertFalse(ReadAccess.needsServingCheck(user("agent-1", "agent"), c));
    }

    @Test
    void supervisorsAndComplianceReadEverythingAudited() {
        assertEquals(Basis.SUPERVISOR, ReadAccess.read(user("sup", "supervisor"), c, false));
        assertEquals(Basis.COMPLIANCE, ReadAccess.read(user("comp", "compliance"), c, false));
        // Also a conversation known only from its messages.
        assertEquals(Basis.COMPLIANCE, ReadAccess.read(user("comp", "compliance"), new Subject(null, null), false));
        assertTrue(ReadAccess.audited(Basis.SUPERVISOR));
        assertTrue(ReadAccess.audited(Basis.COMPLIANCE));
    }

    @Test
    void everyoneElseAndUnknownConversationsGetNothing() {
        assertEquals(Basis.NONE, ReadAccess.read(user("mod", "moderator"), c, false));
        assertEquals(Basis.NONE, ReadAccess.read(user("adm", "admin"), c, false));
        assertEquals(Basis.NONE, ReadAccess.read(user("cust-1", "customer"), null, false));
        assertEquals(Basis.NONE, ReadAccess.read(user("sup", "supervisor"), null, false));
        assertEquals(Basis.NONE, ReadAccess.read(null, c, false));
        assertFalse(ReadAccess.audited(Basis.NONE));
    }

    @Test
    void searchScopes() {
        assertEquals(SearchScope.ALL, ReadAccess.searchScope(user("sup", "supervisor")));
        assertEquals(SearchScope.ALL, ReadAccess.searchScope(user("comp", "compliance")));
        assertEquals(SearchScope.OWN, ReadAccess.searchScope(user("a", "agent")));
        assertEquals(SearchScope.OWN, ReadAccess.searchScope(user("c", "customer")));
    }
}
