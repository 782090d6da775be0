package io.securechat.session.queue;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
import io.securechat.session.conversation.repository.ConversationRepository;
import io.securechat.session.delivery.model.Frames;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The queues: {@code GET /api/v1/queues} for everyone, the waiting conversations for agents
 * and supervisors, the open assigned ones ({@code ?state=ASSIGNED}) for supervisors only.
 */
@Path("/api/v1/queues")
public class QueueResource {

    /** The longest queue view an agent gets; the oldest conversations come first. */
    static final int MAX_WAITING = 500;

    public record QueueView(String id, String displayName) {}

    /** A waiting conversation as the agent console shows it; no message text. */
    public record WaitingView(UUID conversationId, int position, String clientRef, String subject,
            String customerDisplayName, boolean guest, Instant queuedAt, long waitingSeconds) {}

    /**
     * An open assigned conversation as the supervisor's queue view shows it; no message text.
     * {@code waitingSeconds}: how long it waited before this assignment; {@code openSeconds}:
     * since it started.
     */
    public record AssignedView(UUID conversationId, String clientRef, String subject, String customerDisplayName,
            boolean guest, Frames.AgentRef agent, Instant queuedAt, Instant assignedAt, long waitingSeconds,
            long openSeconds) {}

    @Inject
    QueueConfig config;

    @Inject
    SecurityIdentity identity;

    @Inject
    Pool pool;

    @Inject
    ConversationRepository conversations;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<QueueView> list() {
        return config.queues().entrySet().stream()
                .map(e -> new QueueView(e.getKey(), e.getValue().displayName()))
                .sorted(Comparator.comparing(QueueView::id))
                .toList();
    }

    @GET
    @Path("{queue}/conversations")
    @RolesAllowed({"agent", "supervisor"})
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Object>> conversations(@PathParam("queue") String queue, @QueryParam("state") String state) {
        boolean assigned;
        if (state == null || state.isBlank() || "QUEUED".equals(state)) {
            assigned = false;
        } else if ("ASSIGNED".equals(state)) {
            assigned = true;
        } else {
            throw new ApiError.BadRequest("state must be QUEUED or ASSIGNED");
        }
        if (assigned && !identity.hasRole("supervisor")) {
            // Agents see the line they serve; who serves whom is for supervisors.
            return Uni.createFrom().item(ApiError.forbidden("only supervisors see the assigned conversations"));
        }
        if (!config.queues().containsKey(queue)) {
            return Uni.createFrom().item(ApiError.notFound("queue"));
        }
        return assigned ? assigned(queue) : waiting(queue);
    }

    private Uni<RestResponse<Object>> waiting(String queue) {
        return conversations.waiting(pool, queue, MAX_WAITING).map(rows -> {
            Instant now = Instant.now();
            List<WaitingView> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                var w = rows.get(i);
                out.add(new WaitingView(w.id(), i + 1, w.clientRef(), w.subject(), w.customerDisplayName(), w.guest(),
                        w.queuedAt(), seconds(w.queuedAt(), now)));
            }
            return RestResponse.ok(out);
        });
    }

    private Uni<RestResponse<Object>> assigned(String queue) {
        return conversations.assigned(pool, queue, MAX_WAITING).map(rows -> {
            Instant now = Instant.now();
            List<AssignedView> out = new ArrayList<>();
            for (var a : rows) {
                out.add(new AssignedView(a.id(), a.clientRef(), a.subject(), a.customerDisplayName(), a.guest(),
                        new Frames.AgentRef(a.agentId(), a.agentDisplayName()), a.queuedAt(), a.assignedAt(),
                        a.assignedAt() == null ? 0 : seconds(a.queuedAt(), a.assignedAt()), seconds(a.createdAt(), now)));
            }
            return RestResponse.ok(out);
        });
    }

    private static long seconds(Instant from, Instant to) {
        return from == null || to == null ? 0 : Math.max(0, Duration.between(from, to).toSeconds());
    }
}
