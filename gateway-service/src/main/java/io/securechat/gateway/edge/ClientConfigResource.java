package io.securechat.gateway.edge;

import io.securechat.gateway.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/client-config} (public): what the web clients need before anyone signs in:
 * where to sign in, which privacy notice a guest accepts, and the protocol's limits. Nothing
 * secret: the web client is public (PKCE), and the notice is public.
 */
@Path("/api/v1/client-config")
public class ClientConfigResource {

    public record Oidc(String issuer, String clientId) {}

    public record PrivacyPolicy(String version, String url) {}

    public record ClientConfig(Oidc oidc, PrivacyPolicy privacyPolicy, String webSocketPath, String subprotocol,
            long heartbeatSec, int maxTextLength) {}

    @Inject
    EdgeConfig edge;

    @Inject
    GatewayConfig gateway;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ClientConfig get() {
        return new ClientConfig(new Oidc(edge.oidcIssuer(), edge.oidcClientId()),
                new PrivacyPolicy(gateway.privacyPolicyVersion(), "/privacy.html"),
                "/ws/v1/chat", "chat.v1", gateway.heartbeat().toSeconds(), gateway.maxTextLength());
    }
}
