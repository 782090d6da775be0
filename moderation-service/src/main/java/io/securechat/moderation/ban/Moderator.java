package io.securechat.moderation.ban;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.moderation.message.AuditEvent;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who acts on a ban: a moderator or admin from a verified token, or the service itself
 * ({@code system:reputation}). {@code userId} is the token's {@code sub}.
 */
public record Moderator(String userId, List<String> roles) {

    public static final Moderator REPUTATION = new Moderator("system:reputation", List.of());

    private static final Set<String> CHAT_ROLES = Set.of("customer", "agent", "supervisor", "moderator", "compliance", "admin");

    public Moderator {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public static Moderator of(SecurityIdentity identity) {
        Set<String> roles = new TreeSet<>();
        for (String r : identity.getRoles()) {
            if (CHAT_ROLES.contains(r)) {
                roles.add(r);
            }
        }
        return new Moderator(identity.getPrincipal().getName(), List.copyOf(roles));
    }

    public boolean isAdmin() {
        return roles.contains("admin");
    }

    public AuditEvent.Actor auditActor() {
        return new AuditEvent.Actor(userId, roles, null);
    }
}
