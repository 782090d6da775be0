package io.securechat.session.api;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.session.messaging.event.ActorRecord;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of a REST endpoint as an {@link ActorRecord}, built from the verified bearer token
 * the same way the gateway builds its principal: userId = {@code sub}, the chat realm roles only,
 * display name from {@code name} or {@code preferred_username}.
 */
public final class Caller {

    static final Set<String> CHAT_ROLES = Set.of("customer", "agent", "supervisor", "moderator", "compliance", "admin");

    private Caller() {}

    public static ActorRecord of(SecurityIdentity identity) {
        String userId = identity.getPrincipal().getName();
        String displayName = userId;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            String name = jwt.getClaim("name");
            String username = jwt.getClaim("preferred_username");
            displayName = name != null && !name.isBlank() ? name : username != null ? username : userId;
        }
        Set<String> roles = new TreeSet<>();
        for (String r : identity.getRoles()) {
            if (CHAT_ROLES.contains(r)) {
                roles.add(r);
            }
        }
        return new ActorRecord(userId, java.util.List.copyOf(roles), displayName, false, null);
    }
}
