package io.securechat.gateway.identity;

import java.time.Instant;
import java.util.Set;

/**
 * Who is on a socket: what the gateway learnt from a token, a ticket or a guest session.
 * {@code userId} is the token's {@code sub}, or {@code guest:<uuid>} for guests.
 */
public record ChatPrincipal(String userId, Set<String> roles, String displayName, boolean guest,
        String fingerprint, Instant expiresAt) {

    public static final String GUEST_ROLE = "guest";

    public boolean hasAnyRole(String... wanted) {
        for (String r : wanted) {
            if (roles.contains(r)) {
                return true;
            }
        }
        return false;
    }

    public ChatPrincipal withExpiresAt(Instant newExpiry) {
        return new ChatPrincipal(userId, roles, displayName, guest, fingerprint, newExpiry);
    }
}
