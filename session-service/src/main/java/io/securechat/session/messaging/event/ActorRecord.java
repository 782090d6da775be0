package io.securechat.session.messaging.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The common {@code actor} object of docs/events.md: who acted, as the gateway authenticated them. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ActorRecord(String userId, List<String> roles, String displayName, boolean guest, String fingerprint) {

    public ActorRecord {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    @JsonIgnore
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Customers and guests start conversations (ARCHITECTURE section 5). */
    @JsonIgnore
    public boolean isCustomer() {
        return guest || hasRole("customer") || hasRole("guest");
    }

    @JsonIgnore
    public boolean isAgent() {
        return hasRole("agent");
    }

    @JsonIgnore
    public boolean isSupervisor() {
        return hasRole("supervisor");
    }
}
