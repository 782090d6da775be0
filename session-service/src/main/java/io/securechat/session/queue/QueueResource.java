package io.securechat.session.queue;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;

/** {@code GET /api/v1/queues}: the queues a customer can start a conversation in. */
@Path("/api/v1/queues")
public class QueueResource {

    public record QueueView(String id, String displayName) {}

    @Inject
    QueueConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<QueueView> list() {
        return config.queues().entrySet().stream()
                .map(e -> new QueueView(e.getKey(), e.getValue().displayName()))
                .sorted(Comparator.comparing(QueueView::id))
                .toList();
    }
}
