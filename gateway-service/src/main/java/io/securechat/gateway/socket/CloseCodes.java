package io.securechat.gateway.socket;

/** Close codes of protocol v1 (ARCHITECTURE section 5). */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int POLICY = 1008;
    public static final int TOO_BIG = 1009;
    public static final int TOKEN_EXPIRED = 4401;
    public static final int BANNED = 4403;
    public static final int TOO_MANY_VIOLATIONS = 4429;

    private CloseCodes() {}
}
