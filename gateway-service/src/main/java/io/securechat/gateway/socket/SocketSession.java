package io.securechat.gateway.socket;

import io.quarkus.websockets.next.WebSocketConnection;
import io.securechat.gateway.identity.ChatPrincipal;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One open socket: who is on it and the state the protocol keeps for it. */
public final class SocketSession {

    final WebSocketConnection connection;
    final String connectionId;
    final TokenBucket frames;
    final ArrayDeque<Long> violations = new ArrayDeque<>();
    final Map<String, ConversationCursor> cursors = new ConcurrentHashMap<>();
    volatile ChatPrincipal principal;
    volatile long lastSeenNanos;
    volatile boolean closing;

    SocketSession(WebSocketConnection connection, String nodeId, ChatPrincipal principal, TokenBucket frames) {
        this.connection = connection;
        this.connectionId = nodeId + ":" + connection.id();
        this.principal = principal;
        this.frames = frames;
        this.lastSeenNanos = System.nanoTime();
    }

    public String connectionId() {
        return connectionId;
    }

    public ChatPrincipal principal() {
        return principal;
    }

    ConversationCursor cursor(String conversationId) {
        return cursors.computeIfAbsent(conversationId, k -> new ConversationCursor());
    }
}
