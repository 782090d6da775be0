package io.securechat.gateway.socket;

/** The error codes of protocol v1 (ARCHITECTURE section 5), as they appear on the wire. */
public enum ErrorCode {
    BAD_REQUEST, UNKNOWN_TYPE, FORBIDDEN, NOT_FOUND, RATE_LIMITED, TOO_LARGE, BLOCKED_CONTENT, PHISHING, MALWARE,
    BANNED, MUTED, CONVERSATION_CLOSED, TOKEN_EXPIRED, INTERNAL;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
