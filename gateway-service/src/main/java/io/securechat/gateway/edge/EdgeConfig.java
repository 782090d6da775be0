package io.securechat.gateway.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The public edge's routing to internal services and what the web clients are told ({@code chat.edge.*}). */
@ConfigMapping(prefix = "chat.edge")
public interface EdgeConfig {

    /**
     * Internal services behind {@code /api/v1/**}, by name. A request goes to the upstream with
     * the longest matching path pattern ({@code *} matches one path segment).
     */
    Map<String, Upstream> upstreams();

    /** How long an upstream may take to answer before the client gets 504. */
    @WithDefault("PT30S")
    Duration upstreamTimeout();

    /** The OpenID Provider the web clients sign in with (issuer URL of the realm). */
    String oidcIssuer();

    /** Origin of the sign-in server, allowed by the pages' Content-Security-Policy. */
    String oidcOrigin();

    /** The public OIDC client of the web pages (code flow with PKCE). */
    @WithDefault("chat-web")
    String oidcClientId();

    interface Upstream {
        /** Base URL, e.g. {@code http://127.0.0.1:8081}. */
        String url();

        /** Path patterns served by this upstream, e.g. {@code /api/v1/queues}, {@code /api/v1/conversations/*}. */
        List<String> paths();

        /**
         * This upstream's own answer timeout, when {@link #upstreamTimeout()} is too short for it
         * (audit-service's chain check reads the whole log before it answers).
         */
        java.util.Optional<Duration> timeout();
    }
}
