package io.securechat.session.delivery.model;

import java.util.Set;

/** The error codes of the WebSocket protocol (ARCHITECTURE section 5) that this service sends. */
public final class ErrorCodes {

    public static final String BAD_REQUEST = "bad_request";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not_found";
    public static final String CONVERSATION_CLOSED = "conversation_closed";
    public static final String BLOCKED_CONTENT = "blocked_content";

    /** Every code of the protocol; anything else from a verdict is reported as {@code blocked_content}. */
    public static final Set<String> ALL = Set.of("bad_request", "unknown_type", "forbidden", "not_found", "rate_limited",
            "too_large", "blocked_content", "phishing", "malware", "banned", "muted", "conversation_closed",
            "token_expired", "internal");

    private ErrorCodes() {}

    /** A code the protocol knows: keeps frames to the contract and metric tags bounded. */
    public static String known(String code) {
        return code != null && ALL.contains(code) ? code : BLOCKED_CONTENT;
    }

    /** What the sender of a rejected message reads. */
    public static String plainWords(String code) {
        return switch (code) {
            case "banned" -> "You are banned from sending messages.";
            case "muted" -> "You are muted for now; try again later.";
            case "rate_limited" -> "You are sending messages too fast; slow down.";
            case "phishing" -> "The message looks like phishing and was not delivered.";
            case "malware" -> "An attachment is unsafe; the message was not delivered.";
            case "too_large" -> "The message is too large.";
            case "conversation_closed" -> "The conversation is closed.";
            case "forbidden" -> "You do not take part in this conversation.";
            case "not_found" -> "There is no such conversation.";
            default -> "The message breaks the content policy and was not delivered.";
        };
    }
}
