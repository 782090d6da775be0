package io.securechat.transcript.retention;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.messaging.AuditPublisher;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.securechat.transcript.retention.model.RetentionPolicy;
import io.securechat.transcript.retention.service.RetentionPurge;
import io.securechat.transcript.retention.service.RetentionPurge.PurgeResult;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Retention: {@code GET /api/v1/retention/policies} (compliance, admin), {@code PUT
 * /api/v1/retention/policies/{queue}} (compliance, admin; audited) and {@code POST
 * /api/v1/admin/retention/purge} (admin: the purge now, answers its counts).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RetentionPolicyResource {

    public record RetentionPolicyView(String queue, String policy) {}

    public record PolicyChange(String policy) {}

    static final Pattern QUEUE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    @Inject
    Pool pool;

    @Inject
    SecurityIdentity identity;

    @Inject
    AuditPublisher audit;

    @Inject
    RetentionPurge purge;

    @GET
    @Path("retention/policies")
    @RolesAllowed({"compliance", "admin"})
    public Uni<List<RetentionPolicyView>> list() {
        return pool.query("SELECT queue, policy FROM retention_policies ORDER BY queue").execute()
                .map(rows -> {
                    List<RetentionPolicyView> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new RetentionPolicyView(r.getString("queue"), r.getString("policy")));
                    }
                    return out;
                });
    }

    @PUT
    @Path("retention/policies/{queue}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"compliance", "admin"})
    public Uni<RetentionPolicyView> change(@PathParam("queue") String queue, PolicyChange body) {
        if (queue == null || !QUEUE.matcher(queue).matches()) {
            throw new ApiError.BadRequest("queue must be 1 to 40 lower-case letters, digits, '-' or '_'");
        }
        String policy = RetentionPolicy.parse(body == null ? null : body.policy()).orElseThrow(() -> new ApiError.BadRequest(
                "policy must be INDEFINITE or P<n>D with n from 1 to " + RetentionPolicy.MAX_DAYS + " (e.g. P180D)"));
        Reader actor = Reader.of(identity);
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT policy FROM retention_policies WHERE queue = $1 FOR UPDATE")
                        .execute(Tuple.of(queue))
                        .chain(rows -> {
                            String before = rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null;
                            return conn.preparedQuery("""
                                            INSERT INTO retention_policies (queue, policy, updated_by) VALUES ($1, $2, $3)
                                            ON CONFLICT (queue) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now(),
                                                updated_by = EXCLUDED.updated_by""")
                                    .execute(Tuple.of(queue, policy, actor.userId())).replaceWith(before);
                        }))
                .call(before -> {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("queue", queue);
                    d.put("previous", before);
                    d.put("policy", policy);
                    return audit.publish(AuditEvent.of(actor, AuditEvent.RETENTION_POLICY_CHANGED, "retention_policy", queue,
                            AuditEvent.SUCCESS, d));
                })
                .replaceWith(new RetentionPolicyView(queue, policy));
    }

    @POST
    @Path("admin/retention/purge")
    @RolesAllowed("admin")
    public Uni<RestResponse<Object>> purge() {
        return purge.run(Reader.of(identity)).map(r -> r.skipped()
                ? ApiError.conflict("a retention purge is running on another instance; try again later")
                : RestResponse.ok((Object) r));
    }
}
