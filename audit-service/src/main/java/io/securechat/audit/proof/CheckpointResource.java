package io.securechat.audit.proof;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securechat.audit.access.ComplianceAccess;
import io.securechat.platform.api.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code GET /api/v1/audit/checkpoints/latest}: the latest signed tree head;
 * {@code GET /api/v1/audit/keys}: the public key that verifies them (all the offline verifier needs).
 */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class CheckpointResource {

    private final Checkpoints checkpoints;
    private final SigningKeys keys;
    private final ComplianceAccess access;
    private final ObjectMapper json;

    public CheckpointResource(Checkpoints checkpoints, SigningKeys keys, ComplianceAccess access, ObjectMapper json) {
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.access = access;
        this.json = json;
    }

    @GET
    @Path("/checkpoints/latest")
    public Uni<RestResponse<ObjectNode>> latest() {
        return access.granted("audit.checkpoint.read", ComplianceAccess.LOG_RESOURCE, "checkpoints", () -> Map.of(),
                () -> checkpoints.loadLatest().map(h -> h == null ? ApiError.<ObjectNode>notFound("signed tree head")
                        : RestResponse.ok(h.toJson())));
    }

    @GET
    @Path("/keys")
    public Uni<ObjectNode> keys() {
        return access.granted("audit.keys.read", ComplianceAccess.LOG_RESOURCE, "keys", () -> Map.of(), () -> Uni.createFrom().item(() -> {
            ObjectNode out = json.createObjectNode();
            var arr = out.putArray("keys");
            if (keys.signer() != null) {
                arr.addObject().put("keyId", keys.signer().keyId()).put("algorithm", "Ed25519")
                        .put("publicKey", keys.publicKeyBase64());
            }
            return out;
        }));
    }
}
