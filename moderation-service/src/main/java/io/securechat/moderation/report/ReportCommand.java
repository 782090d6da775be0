package io.securechat.moderation.report;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A {@code chat.commands.v1} record as the gateway writes it (docs/events.md), this service's own
 * copy, read for {@code type = report} only: the gateway's {@code user.report} frame.
 */
public record ReportCommand(int v, String commandId, String type, String conversationId, Actor actor, String gatewayNode,
        String connectionId, Instant issuedAt, String reportedUserId, String reason, List<String> messageIds) {

    public static final String TYPE = "report";
    static final int MAX_MESSAGES = 50;
    static final int MAX_REASON = 500;
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:_.@\\-]{0,127}");

    public record Actor(String userId, List<String> roles, String displayName, boolean guest, String fingerprint) {

        public Actor {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    public ReportCommand {
        messageIds = messageIds == null ? List.of() : List.copyOf(messageIds);
    }

    public boolean isReport() {
        return TYPE.equals(type);
    }

    /** Why this report cannot be stored, or null when it can (the gateway checked the same, so this is defence). */
    String problem() {
        if (uuid(commandId) == null) {
            return "commandId is not a UUID";
        }
        if (uuid(conversationId) == null) {
            return "conversationId is not a UUID";
        }
        if (actor == null || actor.userId() == null || actor.userId().isBlank()) {
            return "actor.userId missing";
        }
        if (reportedUserId == null || !USER_ID.matcher(reportedUserId).matches()) {
            return "reportedUserId is not a user id";
        }
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            return "reason missing or over " + MAX_REASON + " characters";
        }
        if (messageIds.size() > MAX_MESSAGES || messageIds.stream().anyMatch(id -> uuid(id) == null)) {
            return "messageIds must be at most " + MAX_MESSAGES + " message ids";
        }
        return null;
    }

    static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
