package io.securechat.gateway.socket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Writes frames to sockets and closes them; a socket that is gone is not an error. */
@ApplicationScoped
public class SocketSender {

    private static final Logger LOG = Logger.getLogger(SocketSender.class);

    @Inject
    SocketMetrics metrics;

    @Inject
    ObjectMapper json;

    public Uni<Void> send(SocketSession s, ObjectNode frame) {
        return sendRaw(s, frame.path("type").asText(), frame.toString());
    }

    Uni<Void> sendRaw(SocketSession s, String type, String text) {
        if (!s.connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        metrics.frameOut(type);
        return s.connection.sendText(text).onFailure().recoverWithItem(t -> {
            LOG.debugf("frame %s not written to %s: %s", type, s.connectionId, t.getMessage());
            return null;
        });
    }

    /** Sends {@code session.terminated} with the reason, then closes with the code. */
    public Uni<Void> terminate(SocketSession s, String reason, CloseReason close) {
        if (!s.closing.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        metrics.closed(close.getCode());
        ObjectNode t = json.createObjectNode().put("type", "session.terminated").put("reason", reason);
        return send(s, t).chain(() -> s.connection.close(close)).onFailure().recoverWithNull().replaceWithVoid();
    }
}
