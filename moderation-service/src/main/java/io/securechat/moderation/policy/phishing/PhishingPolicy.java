package io.securechat.moderation.policy.phishing;

import io.securechat.moderation.message.InboundMessage;
import io.securechat.moderation.pipeline.ModerationPolicy;
import io.securechat.moderation.pipeline.PolicyResult;
import io.securechat.moderation.policy.PolicyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Policy {@code phishing}: blocks with the protocol code {@code phishing} a message that
 * <ul>
 * <li>links to an IP address ({@code phishing.ip_literal});</li>
 * <li>links to a blocked domain or its subdomains ({@code phishing.blocked_domain});</li>
 * <li>links to a look-alike of a protected domain, or to a host built to look like a brand
 *     ({@code phishing.lookalike_domain}, see {@link Domains});</li>
 * <li>asks for a password, a one-time code or card data ({@code phishing.credential_request},
 *     see {@link CredentialRequests}).</li>
 * </ul>
 * Links are found in their obfuscated forms too ({@link LinkFinder}). The protected domains and
 * their subdomains pass, whoever links them. Pure computation: no I/O, never fails.
 */
@ApplicationScoped
public class PhishingPolicy implements ModerationPolicy {

    public static final String ID = "phishing";
    public static final String CODE = "phishing";
    public static final String IP_LITERAL = "phishing.ip_literal";
    public static final String BLOCKED_DOMAIN = "phishing.blocked_domain";
    public static final String LOOKALIKE_DOMAIN = "phishing.lookalike_domain";
    public static final String CREDENTIAL_REQUEST = "phishing.credential_request";

    private final Domains domains;
    private final boolean ipLiterals;
    private final boolean credentialRequests;

    @Inject
    public PhishingPolicy(PolicyConfig config) {
        this(config.phishing());
    }

    public PhishingPolicy(PolicyConfig.Phishing config) {
        this.domains = new Domains(config.protectedDomains(), config.blockedDomains().orElse(List.of()));
        this.ipLiterals = config.ipLiterals();
        this.credentialRequests = config.credentialRequests();
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
        return Uni.createFrom().item(() -> judge(message.text()));
    }

    public PolicyResult judge(String text) {
        if (text == null || text.isBlank()) {
            return PolicyResult.allow();
        }
        LinkedHashSet<String> details = new LinkedHashSet<>();
        for (Link link : LinkFinder.find(text)) {
            if (Domains.isIpLiteral(link.host())) {
                if (ipLiterals && link.explicit()) {
                    details.add(IP_LITERAL);
                }
                continue;
            }
            if (domains.isBlocked(link.host())) {
                details.add(BLOCKED_DOMAIN);
            } else if (domains.isLookalike(link)) {
                details.add(LOOKALIKE_DOMAIN);
            }
            // https://acme.example@evil.test/ shows one host and visits another.
            if (link.userinfo() != null && link.userinfo().contains(".")) {
                details.add(LOOKALIKE_DOMAIN);
            }
        }
        if (credentialRequests && CredentialRequests.asks(text)) {
            details.add(CREDENTIAL_REQUEST);
        }
        return details.isEmpty() ? PolicyResult.allow() : PolicyResult.block(CODE, List.copyOf(details));
    }
}
