package io.securechat.session.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.securechat.session.delivery.service.DeliveryRouting;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeliveryRoutingTest {

    private static final List<String> NODES = List.of("gw-1", "gw-2");

    @Test
    void eachNodeGetsOnlyTheRecipientsItHolds() {
        var presence = Optional.of(Map.of("cust", Set.of("gw-2"), "agent", Set.of("gw-1", "gw-2")));
        assertEquals(Map.of("gw-1", List.of("agent"), "gw-2", List.of("cust", "agent")),
                DeliveryRouting.route(List.of("cust", "agent"), presence, NODES));
    }

    @Test
    void recipientsWithoutSocketsAreLeftOutAndNodesWithNobodyGetNothing() {
        var presence = Optional.of(Map.of("cust", Set.of("gw-1"), "away", Set.<String>of()));
        assertEquals(Map.of("gw-1", List.of("cust")), DeliveryRouting.route(List.of("cust", "away"), presence, NODES));
    }

    @Test
    void withoutPresenceEveryKnownNodeGetsEveryRecipient() {
        assertEquals(Map.of("gw-1", List.of("cust", "agent"), "gw-2", List.of("cust", "agent")),
                DeliveryRouting.route(List.of("cust", "agent"), Optional.empty(), NODES));
    }

    @Test
    void nodesOutsideTheConfiguredListGetNothing() {
        var presence = Optional.of(Map.of("cust", Set.of("gw-9")));
        assertEquals(Map.of(), DeliveryRouting.route(List.of("cust"), presence, NODES));
    }
}
