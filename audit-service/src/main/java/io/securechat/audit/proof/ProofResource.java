package io.securechat.audit.proof;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securechat.audit.access.ComplianceAccess;
import io.securechat.audit.query.AuditEventResource;
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
        long[] requested = new long[1];
        return access.granted("audit.proof.inclusion", "audit_record", AuditEventResource.safeId(eventId), () -> {
            AuditEventResource.uuid(eventId);
            requested[0] = ApiError.param("treeSize", treeSize, 0, 1, Long.MAX_VALUE);
            return Map.of();
        }, () -> inclusion(AuditEventResource.uuid(eventId), requested[0]));
    }

    /** The proof of one record in the head of size {@code requested}, or (0) the latest head that covers it. */
    private Uni<RestResponse<ObjectNode>> inclusion(UUID id, long requested) {
        return records.byEventId(id).chain(row -> {
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
                if (size > trail.size()) {
                    throw new ApiError.BadRequest("the tree of size " + size + " is beyond the log this service holds");
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
        });
    }

    @GET
    @Path("/consistency")
    public Uni<ObjectNode> consistency(@QueryParam("first") String first, @QueryParam("second") String second) {
        long[] sizes = new long[2];
        return access.granted("audit.proof.consistency", ComplianceAccess.LOG_RESOURCE, "tree", () -> {
            sizes[0] = ApiError.param("first", first, -1, 1, Long.MAX_VALUE);
            sizes[1] = ApiError.param("second", second, -1, 1, Long.MAX_VALUE);
            if (sizes[0] < 0 || sizes[1] < 0 || sizes[0] > sizes[1]) {
                throw new ApiError.BadRequest("first and second are tree sizes with 1 <= first <= second");
            }
            return Map.of("first", sizes[0], "second", sizes[1]);
        }, () -> consistency(sizes[0], sizes[1]));
    }

    private Uni<ObjectNode> consistency(long m, long n) {
        return trail.sync().chain(size -> {
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
            trail.consistencyProof(m, n).forEach(h -> proof.add(Hex.of(h)));
            out.set("firstHead", heads.getItem1() == null ? null : heads.getItem1().toJson());
            out.set("secondHead", heads.getItem2() == null ? null : heads.getItem2().toJson());
            return out;
        });
    }
}
