package io.securechat.session.agent.model;

import java.time.Instant;

/** An online agent with the number of conversations assigned to them now. */
public record AgentLoad(String userId, String displayName, int capacity, int active, Instant idleSince) {

    public boolean hasRoom() {
        return active < capacity;
    }
}
