package io.securechat.gateway.identity;

import io.quarkus.security.identity.SecurityIdentity;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Builds a {@link ChatPrincipal} from an identity that Quarkus OIDC verified. */
public final class Principals {

    private static final Set<String> CHAT_ROLES = Set.of("customer", "agent", "supervisor", "moderator", "compliance", "admin");

    private Principals() {}

    public static ChatPrincipal fromIdentity(SecurityIdentity identity) {
        String displayName = identity.getPrincipal().getName();
        Instant expiresAt = Instant.now().plusSeconds(300);
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            String name = jwt.getClaim("name");
            String username = jwt.getClaim("preferred_username");
            displayName = name != null && !name.isBlank() ? name : username != null ? username : jwt.getSubject();
            expiresAt = Instant.ofEpochSecond(jwt.getExpirationTime());
        }
        Set<String> roles = new TreeSet<>();
        for (String r : identity.getRoles()) {
            if (CHAT_ROLES.contains(r)) {
                roles.add(r);
            }
        }
        return new ChatPrincipal(identity.getPrincipal().getName(), roles, displayName, false, null, expiresAt);
    }
}
