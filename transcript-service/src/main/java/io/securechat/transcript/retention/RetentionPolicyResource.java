package io.securechat.transcript.retention;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/v1/retention/policies}: how long each queue's transcripts are kept. */
@Path("/api/v1/retention/policies")
public class RetentionPolicyResource {

    public record RetentionPolicyView(String queue, String policy) {}

    @Inject
    Pool pool;

    @GET
    @RolesAllowed({"compliance", "admin"})
    @Produces(MediaType.APPLICATION_JSON)
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
}
