package io.securechat.gateway.socket;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.securechat.gateway.GatewayConfig;
import io.securechat.gateway.identity.ChatPrincipal;
import io.securechat.gateway.messaging.AuditEvents;
import io.securechat.gateway.presence.PresenceRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The WebSocket endpoint {@code /ws/v1/chat}, subprotocol {@code chat.v1}. Who may open it is
 * decided before the upgrade by {@link UpgradeGuard}; frames are checked and acted on by
 * {@link FrameHandler}; frames for clients arrive through {@code DeliveryConsumer}.
 */
@WebSocket(path = "/ws/v1/chat")
public class ChatSocket {

    private static final Logger LOG = Logger.getLogger(ChatSocket.class);

    @Inject
    GatewayConfig config;

    @Inject
    SocketRegistry registry;

    @Inject
    FrameHandler frames;

    @Inject
    SocketSender sender;

    @Inject
    PresenceRegistry presence;

    @Inject
    AuditEvents audit;

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        ChatPrincipal p = connection.userData().get(UpgradeGuard.PRINCIPAL);
        if (p == null) {
            // Cannot happen through UpgradeGuard; refuse rather than run an anonymous socket.
            return connection.close(new CloseReason(CloseCodes.POLICY, "not authenticated"));
        }
        String ipHash = connection.userData().get(UpgradeGuard.IP_HASH);
        SocketSession s = new SocketSession(connection, config.nodeId(), p,
                new TokenBucket(config.frameBurst(), config.framesPerSecond(), System.nanoTime()), ipHash);
        connection.userData().put(SESSION, s);
        registry.add(s);
        LOG.debugf("socket %s opened for %s", s.connectionId, p.userId());
        // The audit record is written in the background: while Kafka is away it may take until
        // the producer's delivery timeout, and the socket must not wait for it.
        // The IP hash (never the address) lets compliance hand a moderator what an IP-hash ban needs.
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("node", config.nodeId());
        details.put("guest", p.guest());
        if (ipHash != null) {
            details.put("ipHash", ipHash);
        }
        audit.record(p, "connection.opened", "connection", s.connectionId, "SUCCESS", details)
                .subscribe().with(v -> {}, t -> {});
        return presence.change(p.userId(), 1).chain(() -> sender.send(s, frames.welcome(s)));
    }

    @OnTextMessage
    public Uni<Void> text(WebSocketConnection connection, String text) {
        SocketSession s = connection.userData().get(SESSION);
        if (s == null || s.closing.get()) {
            return Uni.createFrom().voidItem();
        }
        return frames.handle(s, text);
    }

    @OnClose
    public Uni<Void> close(WebSocketConnection connection) {
        SocketSession s = connection.userData().get(SESSION);
        if (s == null) {
            return Uni.createFrom().voidItem();
        }
        long left = registry.remove(s);
        CloseReason reason = connection.closeReason();
        int code = reason == null ? CloseCodes.NORMAL : reason.getCode();
        ChatPrincipal p = s.principal;
        audit.record(p, "connection.closed", "connection", s.connectionId, "SUCCESS", Map.of("code", code))
                .subscribe().with(v -> {}, t -> {});
        frames.connectionClosed(s, left).subscribe().with(v -> {}, t -> {});
        return presence.change(p.userId(), -1);
    }

    @OnError
    public Uni<Void> error(WebSocketConnection connection, Throwable t) {
        SocketSession s = connection.userData().get(SESSION);
        if (t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("max message size")) {
            // Vert.x refuses to assemble a message over 64 KiB: the protocol's answer is 1009.
            if (s != null) {
                return sender.terminate(s, "too_large", new CloseReason(CloseCodes.TOO_BIG, "frame over 64 KiB"));
            }
            return connection.close(new CloseReason(CloseCodes.TOO_BIG, "frame over 64 KiB"));
        }
        LOG.warnf(t, "socket %s: unexpected %s", s == null ? connection.id() : s.connectionId, t.getClass().getSimpleName());
        return Uni.createFrom().voidItem();
    }

    static final io.quarkus.websockets.next.UserData.TypedKey<SocketSession> SESSION =
            new io.quarkus.websockets.next.UserData.TypedKey<>("chat.session");
}
