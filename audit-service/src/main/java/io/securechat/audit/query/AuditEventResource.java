package io.securechat.audit.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securechat.audit.access.ComplianceAccess;
import io.securechat.platform.api.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code GET /api/v1/audit/events}: the trail, newest first, filtered by actor, action, resource
 * and time, paged by seq; {@code GET /api/v1/audit/events/{eventId}}: one record. Compliance only,
 * and every call is itself audited.
 */
@Path("/api/v1/audit/events")
@Produces(MediaType.APPLICATION_JSON)
public class AuditEventResource {

    public record AuditEventPage(List<ObjectNode> items, Long nextBefore) {}

    static final int MAX_LIMIT = 500;

    private final AuditRecords records;
    private final ComplianceAccess access;

    public AuditEventResource(AuditRecords records, ComplianceAccess access) {
        this.records = records;
        this.access = access;
    }

    @GET
    public Uni<AuditEventPage> page(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("resource") String resource, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("before") String before, @QueryParam("limit") String limit) {
        AuditFilter[] filter = new AuditFilter[1];
        long[] beforeSeq = new long[1];
        int[] size = new int[1];
        return access.granted("audit.query", ComplianceAccess.LOG_RESOURCE, "events", () -> {
            filter[0] = AuditFilter.of(actor, action, resource, from, to);
            beforeSeq[0] = ApiError.param("before", before, Long.MAX_VALUE, 1, Long.MAX_VALUE);
            size[0] = (int) ApiError.param("limit", limit, 100, 1, MAX_LIMIT);
            Map<String, Object> details = new LinkedHashMap<>(filter[0].describe());
            details.put("limit", size[0]);
            return details;
        }, () -> records.page(filter[0], beforeSeq[0], size[0]).map(rows -> {
            List<ObjectNode> items = new ArrayList<>(rows.size());
            rows.forEach(r -> items.add(records.item(r)));
            Long next = rows.size() == size[0] ? rows.get(rows.size() - 1).getLong("seq") : null;
            return new AuditEventPage(items, next);
        }));
    }

    @GET
    @Path("/{eventId}")
    public Uni<RestResponse<ObjectNode>> one(@PathParam("eventId") String eventId) {
        return access.granted("audit.record.read", "audit_record", safeId(eventId), () -> Map.of(),
                () -> records.byEventId(uuid(eventId)).map(r -> r == null ? ApiError.<ObjectNode>notFound("audit record")
                        : RestResponse.ok(records.item(r))));
    }

    /** The id as the audit record names it: a UUID, or "invalid" (never the raw input). */
    public static String safeId(String s) {
        try {
            return UUID.fromString(s).toString();
        } catch (RuntimeException e) {
            return "invalid";
        }
    }

    public static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new ApiError.BadRequest("eventId must be a UUID");
        }
    }
}
