package io.securechat.audit.trail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.audit.access.ComplianceAccess;
import io.securechat.audit.proof.Checkpoints;
import io.securechat.audit.proof.SigningKeys;
import io.securechat.audit.query.AuditFilter;
import io.securechat.audit.query.AuditRecords;
import io.securechat.auditproof.SignedTreeHead;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/audit/verify}: checks the whole stored log (ChainVerifier) and names the
 * first broken record. A broken log is also recorded as {@code audit.integrity_failure}.
 */
@Path("/api/v1/audit/verify")
@Produces(MediaType.APPLICATION_JSON)
public class VerifyResource {

    private final AuditRecords records;
    private final ComplianceAccess access;
    private final Checkpoints checkpoints;
    private final SigningKeys keys;
    private final Pool pool;
    private final ObjectMapper json;
    private final AuditMetrics metrics;
    private final Trail trail;

    public VerifyResource(AuditRecords records, ComplianceAccess access, Checkpoints checkpoints, SigningKeys keys, Pool pool,
            ObjectMapper json, AuditMetrics metrics, Trail trail) {
        this.trail = trail;
        this.records = records;
        this.access = access;
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.pool = pool;
        this.json = json;
        this.metrics = metrics;
    }

    @GET
    public Uni<ChainVerifier.Result> verify() {
        return access.granted("audit.verify", ComplianceAccess.LOG_RESOURCE, "chain", () -> Map.of(), this::run)
                .call(result -> {
                    if (result.ok()) {
                        return Uni.createFrom().voidItem();
                    }
                    ChainVerifier.Broken b = result.firstBroken();
                    String problem = b != null ? b.problem() : "checkpoint_mismatch";
                    metrics.integrityFailure(problem);
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("problem", problem);
                    if (b != null) {
                        details.put("seq", b.seq());
                    }
                    details.put("records", result.records());
                    return access.record("audit.integrity_failure", ComplianceAccess.LOG_RESOURCE, "chain", "FAILURE", details);
                });
    }

    public Uni<ChainVerifier.Result> run() {
        AuditFilter all = AuditFilter.of(null, null, null, null, null);
        // The heads first: one signed while the records are read would cover records not read yet,
        // and look like a truncated log.
        return pool.query("SELECT * FROM audit_checkpoints ORDER BY tree_size").execute()
                .chain(rows -> {
                    List<SignedTreeHead> heads = new ArrayList<>();
                    rows.forEach(r -> heads.add(Checkpoints.of(r)));
                    ChainVerifier verifier = new ChainVerifier(json, trail, heads);
                    return records.ascending(all, Long.MAX_VALUE,
                            "seq, entry, prev_hash, hash, event_id, occurred_at, recorded_at, actor_id, action, resource_type, resource_id, outcome, service")
                            // Hashing and parsing every record is CPU work: off the event loop, which
                            // also serves appends, health checks and every other request.
                            .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                            .onItem().invoke(verifier::row)
                            .collect().last()
                            .map(x -> verifier.finish(heads, keys.verifier()));
                });
    }
}
