package io.securechat.audit.access;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ForbiddenException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Authorization of the compliance API: role {@code compliance} only. Checked here rather than
 * with {@code @RolesAllowed} so a refused call is audited too (DENIED), like every granted one.
 */
@ApplicationScoped
public class ComplianceAccess {

    public static final String ROLE = "compliance";
    public static final String LOG_RESOURCE = "audit_log";

    private final SecurityIdentity identity;
    private final SelfAudit audit;

    public ComplianceAccess(SecurityIdentity identity, SelfAudit audit) {
        this.identity = identity;
        this.audit = audit;
    }

    public SecurityIdentity identity() {
        return identity;
    }

    /**
     * Checks the role first, then reads the request ({@code details}; it may throw a 400), audits
     * the call as {@code action} and continues with {@code then}. A caller without the role gets
     * 403 after a DENIED record, whatever its parameters.
     */
    public <T> Uni<T> granted(String action, String resourceType, String resourceId, Supplier<Map<String, ?>> details,
            Supplier<Uni<T>> then) {
        if (!identity.hasRole(ROLE)) {
            return audit.record(identity, action, resourceType, resourceId, "DENIED", Map.of())
                    .onItem().transformToUni(v -> Uni.createFrom().<T>failure(
                            new ForbiddenException("the audit trail is for compliance officers")));
        }
        Map<String, ?> d;
        Uni<T> next;
        try {
            d = details.get();
            next = then.get();
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        return audit.record(identity, action, resourceType, resourceId, "SUCCESS", d).replaceWith(next);
    }

    public Uni<Void> record(String action, String resourceType, String resourceId, String outcome, Map<String, ?> details) {
        return audit.record(identity, action, resourceType, resourceId, outcome, details);
    }
}
