package io.securechat.audit.access;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ForbiddenException;
import java.util.Map;

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
     * Audits the call as {@code action} and continues with {@code then}; a caller without the
     * role gets 403 after a DENIED record.
     */
    public <T> Uni<T> granted(String action, String resourceType, String resourceId, Map<String, ?> details, Uni<T> then) {
        if (!identity.hasRole(ROLE)) {
            return audit.record(identity, action, resourceType, resourceId, "DENIED", details)
                    .onItem().transformToUni(v -> Uni.createFrom().<T>failure(
                            new ForbiddenException("the audit trail is for compliance officers")));
        }
        return audit.record(identity, action, resourceType, resourceId, "SUCCESS", details).replaceWith(then);
    }

    public Uni<Void> record(String action, String resourceType, String resourceId, String outcome, Map<String, ?> details) {
        return audit.record(identity, action, resourceType, resourceId, outcome, details);
    }
}
