package io.securechat.moderation.policy.impersonation;

import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.ModerationPolicy;
import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.policy.PolicyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;

/**
 * Policy {@code impersonation}: a customer or guest whose display name claims to be staff
 * ("Support", "Admin", "Acme Support Team", "Supp0rt", ...; see {@link StaffNames}) cannot send
 * messages under it: BLOCK with {@code blocked_content} and {@code impersonation.staff_name}.
 * Staff (agent, supervisor, moderator, admin, compliance) are never checked: they are who such a
 * name claims to be, and their messages are marked as verified by session-service anyway.
 *
 * <p>Only the display name is judged, not the text: "I am from Acme support" in a message is
 * left to the reader, who sees the verified-agent mark (or its absence) next to every message.
 */
@ApplicationScoped
public class ImpersonationPolicy implements ModerationPolicy {

    public static final String ID = "impersonation";
    public static final String DETAIL = "impersonation.staff_name";
    static final Set<String> STAFF_ROLES = Set.of("agent", "supervisor", "moderator", "admin", "compliance");

    private final StaffNames names;

    @Inject
    public ImpersonationPolicy(PolicyConfig config) {
        this(config.impersonation());
    }

    public ImpersonationPolicy(PolicyConfig.Impersonation config) {
        this.names = new StaffNames(config.staffWords(), config.companyNames());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean deterministic() {
        return true;
    }

    @Override
    public Uni<PolicyResult> evaluate(InboundMessage message) {
        return Uni.createFrom().item(() -> judge(message.sender()));
    }

    public PolicyResult judge(InboundMessage.Sender sender) {
        if (sender == null || (!sender.guest() && sender.roles().stream().anyMatch(STAFF_ROLES::contains))) {
            return PolicyResult.allow();
        }
        return names.claimsStaff(sender.displayName())
                ? PolicyResult.block("blocked_content", List.of(DETAIL))
                : PolicyResult.allow();
    }
}
