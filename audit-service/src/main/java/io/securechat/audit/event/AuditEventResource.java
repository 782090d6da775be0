package io.securechat.audit.event;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/v1/audit/events}: the audit log, newest first, for compliance officers. */
@Path("/api/v1/audit/events")
public class AuditEventResource {

    public record AuditEventPage(List<Object> items, Long nextBefore) {}

    private static final int MAX_LIMIT = 500;

    @Inject
    Pool pool;

    @GET
    @RolesAllowed("compliance")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AuditEventPage> page(@QueryParam("before") Long before,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        int size = Math.max(1, Math.min(limit, MAX_LIMIT));
        return pool.preparedQuery("""
                SELECT position, record FROM audit_events
                 WHERE position < $1 ORDER BY position DESC LIMIT $2""")
                .execute(Tuple.of(before == null ? Long.MAX_VALUE : before, size))
                .map(rows -> {
                    List<Object> items = new ArrayList<>();
                    Long last = null;
                    for (Row r : rows) {
                        items.add(r.getJsonObject("record").getMap());
                        last = r.getLong("position");
                    }
                    return new AuditEventPage(items, items.size() == size ? last : null);
                });
    }
}
