package io.securechat.transcript.api;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The caller of a REST endpoint, from the verified bearer token: userId = {@code sub} and the
 * chat realm roles only (as session-service and the gateway build it).
 */
public record Reader(String userId, List<String> roles) {

    public static final Set<String> CHAT_ROLES = Set.of("customer", "agent", "supervisor", "moderator", "compliance", "admin");

    public Reader {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public static Reader of(SecurityIdentity identity) {
        Set<String> roles = new TreeSet<>();
        for (String r : identity.getRoles()) {
            if (CHAT_ROLES.contains(r)) {
                roles.add(r);
            }
        }
        return new Reader(identity.getPrincipal().getName(), List.copyOf(roles));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isAgent() {
        return hasRole("agent");
    }

    public boolean isSupervisor() {
        return hasRole("supervisor");
    }

    public boolean isCompliance() {
        return hasRole("compliance");
    }
}
