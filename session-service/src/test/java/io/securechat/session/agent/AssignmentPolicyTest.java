package io.securechat.session.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.session.agent.model.AgentLoad;
import io.securechat.session.agent.model.AssignmentPolicy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssignmentPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private static AgentLoad agent(String id, int active, int capacity, int idleSinceMinute) {
        return new AgentLoad(id, id, capacity, active, T0.plusSeconds(60L * idleSinceMinute));
    }

    @Test
    void theLeastBusyByRatioWinsNotTheOneWithFewestConversations() {
        // a: 1 of 2 (0.5); b: 2 of 6 (0.33): b has more conversations but is less busy.
        var chosen = AssignmentPolicy.choose(List.of(agent("a", 1, 2, 0), agent("b", 2, 6, 5)));
        assertEquals("b", chosen.orElseThrow().userId());
    }

    @Test
    void equallyBusyAgentsGoToTheOneIdleLongest() {
        var chosen = AssignmentPolicy.choose(List.of(agent("late", 1, 2, 9), agent("early", 2, 4, 3)));
        assertEquals("early", chosen.orElseThrow().userId());
    }

    @Test
    void fullAgentsAreNeverChosen() {
        assertTrue(AssignmentPolicy.choose(List.of(agent("full", 3, 3, 0), agent("over", 4, 3, 0))).isEmpty());
        assertEquals("free", AssignmentPolicy.choose(List.of(agent("full", 3, 3, 0), agent("free", 2, 3, 8)))
                .orElseThrow().userId());
    }

    @Test
    void noCandidatesNoChoice() {
        assertTrue(AssignmentPolicy.choose(List.of()).isEmpty());
    }

    @Test
    void aCompleteTieIsBrokenByUserIdSoEveryInstanceChoosesAlike() {
        var chosen = AssignmentPolicy.choose(List.of(agent("b", 0, 3, 0), agent("a", 0, 3, 0)));
        assertEquals("a", chosen.orElseThrow().userId());
    }
}
