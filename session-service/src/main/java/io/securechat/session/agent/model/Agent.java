package io.securechat.session.agent.model;

import java.time.Instant;

/** An agent's availability as stored. */
public record Agent(String userId, String displayName, AgentStatus status, int capacity, Instant idleSince,
        Instant absentSince) {}
