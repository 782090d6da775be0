package io.securechat.audit.proof;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securechat.audit.access.ComplianceAccess;
import io.securechat.audit.query.AuditRecords;
import io.securechat.audit.trail.Trail;
import io.securechat.auditproof.Hex;
import io.securechat.auditproof.SignedTreeHead;
import io.securechat.platform.api.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * RFC 9162 proofs. {@code GET /api/v1/audit/proofs/inclusion/{eventId}}: the audit path of a
 * record in a signed tree head (the latest, or a new one when the record is newer);
 * {@code GET /api/v1/audit/proofs/consistency?first=M&second=N}: that the tree of size N extends
 * the tree of size M. Both verify with the public key alone.
 */
@Path("/api/v1/audit/proofs")
@Produces(MediaType.APPLICATION_JSON)
public class ProofResource {

    private final AuditRecords records;
    private final ComplianceAccess access;
    private final Checkpoints checkpoints;
    private final Trail trail;
    private final ObjectMapper json;

    public ProofResource(AuditRecords records, ComplianceAccess access, Checkpoints checkpoints, Trail trail, ObjectMapper json) {
        this.records = records;
        this.access = access;
        this.checkpoints = checkpoints;
        this.trail = trail;
        this.json = json;
    }

    @GET
    @Path("/inclusion/{eventId}")
    public Uni<RestResponse<ObjectNode>> inclusion(@PathParam("eventId") String eventId, @QueryParam("treeSize") String treeSize) {
        UUID id;
        try {
            id = UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            throw new ApiError.BadRequest("eventId must be a UUID");
        }
        long requested = ApiError.param("treeSize", treeSize, 0, 1, Long.MAX_VALUE);
        return access.granted("audit.proof.inclusion", "audit_record", id.toString(), Map.of(),
                records.byEventId(id).chain(row -> {
                    if (row == null) {
                        return Uni.createFrom().item(ApiError.<ObjectNode>notFound("audit record"));
                    }
                    long seq = row.getLong("seq");
                    Uni<SignedTreeHead> head = requested > 0 ? checkpoints.loadAt(requested) : checkpoints.covering(seq);
                    return trail.sync().chain(() -> head).map(sth -> {
                        if (sth == null) {
                            return ApiError.<ObjectNode>notFound("signed tree head of size " + requested);
                        }
                        long size = sth.head().treeSize();
                        if (seq > size) {
                            throw new ApiError.BadRequest("record " + seq + " is not in the tree of size " + size);
                        }
                        ObjectNode out = json.createObjectNode();
                        out.put("eventId", id.toString());
                        out.put("seq", seq);
                        out.put("leafIndex", seq - 1);
                        out.put("treeSize", size);
                        out.put("leafHash", Hex.of(trail.leafHash(seq - 1)));
                        ArrayNode path = out.putArray("path");
                        trail.inclusionProof(seq - 1, size).forEach(h -> path.add(Hex.of(h)));
                        out.set("entry", records.entry(row));
                        out.put("hash", row.getString("hash"));
                        out.set("treeHead", sth.toJson());
                        return RestResponse.ok(out);
                    });
                }));
    }

    @GET
    @Path("/consistency")
    public Uni<ObjectNode> consistency(@QueryParam("first") String first, @QueryParam("second") String second) {
        long m = ApiError.param("first", first, -1, 1, Long.MAX_VALUE);
        long n = ApiError.param("second", second, -1, 1, Long.MAX_VALUE);
        if (m < 0 || n < 0 || m > n) {
            throw new ApiError.BadRequest("first and second are tree sizes with 1 <= first <= second");
        }
        return access.granted("audit.proof.consistency", ComplianceAccess.LOG_RESOURCE, "tree", Map.of("first", m, "second", n),
                trail.sync().chain(size -> {
                    if (n > size) {
                        throw new ApiError.BadRequest("the log holds " + size + " records; second must not exceed it");
                    }
                    return Uni.combine().all().unis(checkpoints.loadAt(m), checkpoints.loadAt(n)).asTuple();
                }).map(heads -> {
                    ObjectNode out = json.createObjectNode();
                    out.put("first", m);
                    out.put("second", n);
                    out.put("firstRoot", Hex.of(trail.root(m)));
                    out.put("secondRoot", Hex.of(trail.root(n)));
                    ArrayNode proof = out.putArray("proof");
                    List<byte[]> p = trail.consistencyProof(m, n);
                    p.forEach(h -> proof.add(Hex.of(h)));
                    out.set("firstHead", heads.getItem1() == null ? null : heads.getItem1().toJson());
                    out.set("secondHead", heads.getItem2() == null ? null : heads.getItem2().toJson());
                    return out;
                }));
    }
}
