package io.securechat.session.queue;

import io.securechat.session.conversation.repository.ConversationRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/** The queues: {@code GET /api/v1/queues} for everyone, the waiting conversations for agents. */
@Path("/api/v1/queues")
public class QueueResource {

    /** The longest queue view an agent gets; the oldest conversations come first. */
    static final int MAX_WAITING = 500;

    public record QueueView(String id, String displayName) {}

    /** A waiting conversation as the agent console shows it; no message text. */
    public record WaitingView(UUID conversationId, int position, String clientRef, String subject,
            String customerDisplayName, boolean guest, Instant queuedAt, long waitingSeconds) {}

    @Inject
    QueueConfig config;

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
    public Uni<RestResponse<List<WaitingView>>> waiting(@PathParam("queue") String queue) {
        if (!config.queues().containsKey(queue)) {
            return Uni.createFrom().item(RestResponse.notFound());
        }
        return conversations.waiting(pool, queue, MAX_WAITING).map(rows -> {
            Instant now = Instant.now();
            List<WaitingView> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                var w = rows.get(i);
                out.add(new WaitingView(w.id(), i + 1, w.clientRef(), w.subject(), w.customerDisplayName(), w.guest(),
                        w.queuedAt(), Math.max(0, Duration.between(w.queuedAt(), now).toSeconds())));
            }
            return RestResponse.ok(out);
        });
    }
}
