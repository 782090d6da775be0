package io.securechat.session.agent.model;

import java.util.Locale;

/** The {@code status} of an {@code agent.status} command and of the {@code agents} table. */
public enum AgentStatus {
    ONLINE, AWAY, OFFLINE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named by a command, or null when it names none of them. */
    public static AgentStatus parse(String value) {
        if (value == null) {
            return null;
        }
        for (AgentStatus s : values()) {
            if (s.wire().equals(value)) {
                return s;
            }
        }
        return null;
    }
}
