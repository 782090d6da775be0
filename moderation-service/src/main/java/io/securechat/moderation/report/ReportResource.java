package io.securechat.moderation.report;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.moderation.ban.Ban;
import io.securechat.moderation.ban.BanStore;
import io.securechat.moderation.ban.ModerationEvents;
import io.securechat.moderation.ban.Moderator;
import io.securechat.moderation.message.AuditEvent;
import io.securechat.moderation.reputation.ReputationScores;
import io.securechat.platform.api.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /api/v1/moderation/reports}: the report queue, one report with its evidence, and its
 * resolution (docs/moderation-actions.md). Moderators and admins only. Opening a report reads
 * the transcript for the moderator and is audited ({@code report.opened}); the list reads none.
 */
@Path("/api/v1/moderation/reports")
@RolesAllowed({"moderator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int NOTE_MAX = 1000;
    static final Set<String> RESOLUTIONS = Set.of("DISMISSED", "ACTIONED");

    public record ResolveRequest(String resolution, String note) {}

    @Inject
    ReportStore reports;

    @Inject
    BanStore bans;

    @Inject
    ReputationScores scores;

    @Inject
    EvidenceClient evidence;

    @Inject
    ModerationEvents events;

    @Inject
    SecurityIdentity identity;

    @GET
    public Uni<List<Report>> list(@QueryParam("status") String status, @QueryParam("limit") String limit,
            @QueryParam("before") String before) {
        String s = status == null || status.isBlank() ? Report.OPEN : status.strip();
        if (!Report.OPEN.equals(s) && !Report.RESOLVED.equals(s)) {
            throw new ApiError.BadRequest("status must be OPEN or RESOLVED");
        }
        int max = (int) ApiError.param("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        UUID cursor = null;
        if (before != null && !before.isBlank()) {
            cursor = ApiError.uuidOrNull(before.strip());
            if (cursor == null) {
                throw new ApiError.BadRequest("before must be the id of a report");
            }
        }
        UUID after = cursor;
        Uni<Boolean> known = after == null ? Uni.createFrom().item(true) : reports.exists(after);
        return known.chain(ok -> {
            if (!ok) {
                throw new ApiError.BadRequest("before must be the id of a report");
            }
            return reports.list(s, after, max);
        }).chain(this::withState);
    }

    @GET
    @Path("{id}")
    public Uni<RestResponse<Object>> one(@PathParam("id") String id) {
        UUID reportId = ApiError.uuidOrNull(id);
        if (reportId == null) {
            return Uni.createFrom().item(ApiError.notFound("report"));
        }
        Moderator moderator = Moderator.of(identity);
        return reports.find(reportId).chain(report -> {
            if (report == null) {
                return Uni.createFrom().item(ApiError.notFound("report"));
            }
            return withState(report)
                    .chain(r -> evidence.read(r, moderator.userId(), moderator.roles()).map(e -> new ReportDetail(r,
                            e.available() ? e.messages() : List.of(), !e.available(), e.reporterParticipant())))
                    .call(detail -> events.audit(opened(moderator, detail)))
                    .map(RestResponse::<Object>ok);
        });
    }

    @POST
    @Path("{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Object>> resolve(@PathParam("id") String id, ResolveRequest body) {
        if (body == null || body.resolution() == null || !RESOLUTIONS.contains(body.resolution().strip())) {
            throw new ApiError.BadRequest("resolution must be DISMISSED or ACTIONED");
        }
        String note = body.note() == null || body.note().isBlank() ? null : body.note().strip();
        if (note != null && note.length() > NOTE_MAX) {
            throw new ApiError.BadRequest("note must be at most " + NOTE_MAX + " characters");
        }
        UUID reportId = ApiError.uuidOrNull(id);
        if (reportId == null) {
            return Uni.createFrom().item(ApiError.notFound("report"));
        }
        Moderator moderator = Moderator.of(identity);
        String resolution = body.resolution().strip();
        return reports.resolve(reportId, resolution, note, moderator.userId()).chain(resolved -> {
            if (resolved != null) {
                return events.audit(AuditEvent.of(moderator.auditActor(), "report.resolved",
                                new AuditEvent.Resource("report", reportId.toString()), AuditEvent.SUCCESS,
                                Map.of("resolution", resolution)))
                        .chain(() -> withState(resolved))
                        .map(RestResponse::<Object>ok);
            }
            return reports.exists(reportId).map(known -> known
                    ? ApiError.<Object>conflict("this report is already resolved")
                    : ApiError.<Object>notFound("report"));
        });
    }

    private Uni<List<Report>> withState(List<Report> page) {
        if (page.isEmpty()) {
            return Uni.createFrom().item(page);
        }
        // One after the other: the pool is shared with the message path; a page is at most 200.
        Uni<List<Report>> out = Uni.createFrom().item(new java.util.ArrayList<>());
        for (Report r : page) {
            out = out.chain(list -> withState(r).map(x -> {
                list.add(x);
                return list;
            }));
        }
        return out;
    }

    /** The reported user's score and active ban and mute now. */
    private Uni<Report> withState(Report r) {
        Uni<Double> score = scores.current("USER", r.reportedUserId());
        Uni<Ban> ban = bans.longest(Ban.BAN, "USER", r.reportedUserId());
        Uni<Ban> mute = bans.longest(Ban.MUTE, "USER", r.reportedUserId());
        return Uni.combine().all().unis(score, ban, mute).asTuple()
                .map(t -> r.withState(t.getItem1() == null ? null : round(t.getItem1()), t.getItem2(), t.getItem3()));
    }

    private static Double round(double score) {
        return Math.round(score * 100) / 100.0;
    }

    private static AuditEvent opened(Moderator moderator, ReportDetail d) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("conversationId", d.report().conversationId().toString());
        details.put("messageCount", d.evidence().size());
        details.put("evidenceUnavailable", d.evidenceUnavailable());
        return AuditEvent.of(moderator.auditActor(), "report.opened",
                new AuditEvent.Resource("report", d.report().reportId().toString()), AuditEvent.SUCCESS, details);
    }
}
