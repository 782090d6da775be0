package io.securechat.session.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** A user as the gateway describes them in a record, with a fresh id per test. */
public record TestUser(String userId, String role, String displayName, boolean guest, String node, String connectionId) {

    public static TestUser customer() {
        return create("customer", false);
    }

    public static TestUser aGuest() {
        return create("guest", true);
    }

    public static TestUser agent() {
        return create("agent", false);
    }

    public static TestUser supervisor() {
        return create("supervisor", false);
    }

    private static TestUser create(String role, boolean guest) {
        String id = (guest ? "guest:" : "it-" + role + "-") + UUID.randomUUID();
        return new TestUser(id, role, role + " " + id.substring(id.length() - 4), guest, "gw-1", "gw-1:" + UUID.randomUUID());
    }

    /** The same user on another socket (another tab or device), on the given node. */
    public TestUser onNewConnection(String nodeId) {
        return new TestUser(userId, role, displayName, guest, nodeId, nodeId + ":" + UUID.randomUUID());
    }

    ObjectNode actor(ObjectNode into) {
        into.put("userId", userId).put("displayName", displayName).put("guest", guest);
        into.putArray("roles").add(role);
        if (guest) {
            into.put("fingerprint", "f".repeat(64));
        } else {
            into.putNull("fingerprint");
        }
        return into;
    }
}
