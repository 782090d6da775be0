package io.securechat.gateway.socket;

import io.quarkus.websockets.next.WebSocketConnection;
import io.securechat.gateway.identity.ChatPrincipal;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** One open socket: who is on it and the state the protocol keeps for it. */
public final class SocketSession {

    final WebSocketConnection connection;
    final String connectionId;
    final TokenBucket frames;
    final ArrayDeque<Long> violations = new ArrayDeque<>();
    final Map<String, ConversationCursor> cursors = new ConcurrentHashMap<>();
    /** Frames written to the socket and not yet flushed to the network: a slow reader's backlog. */
    final AtomicInteger pendingWrites = new AtomicInteger();
    /** Frames accepted but still waiting for Redis or Kafka. */
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicBoolean closing = new AtomicBoolean();
    /**
     * The end of this socket's chain of Kafka work: frames are published in the order they
     * arrived without the socket waiting for the broker. Touched only on the socket's own
     * event loop (inbound processing is serial).
     */
    CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    volatile ChatPrincipal principal;
    /** The client address's keyed hash (docs/moderation-actions.md): what IP-hash bans match; null if unknown. */
    final String ipHash;
    volatile long lastSeenNanos;

    SocketSession(WebSocketConnection connection, String nodeId, ChatPrincipal principal, TokenBucket frames) {
        this(connection, nodeId, principal, frames, null);
    }

    SocketSession(WebSocketConnection connection, String nodeId, ChatPrincipal principal, TokenBucket frames,
            String ipHash) {
        this.connection = connection;
        this.connectionId = nodeId + ":" + connection.id();
        this.principal = principal;
        this.frames = frames;
        this.ipHash = ipHash;
        this.lastSeenNanos = System.nanoTime();
    }

    /** The cursor of a conversation, or null when the socket already follows too many. */
    ConversationCursor cursor(String conversationId) {
        ConversationCursor c = cursors.get(conversationId);
        if (c != null || cursors.size() >= ConversationCursor.MAX_PER_SOCKET) {
            return c;
        }
        return cursors.computeIfAbsent(conversationId, k -> new ConversationCursor(System.nanoTime()));
    }
}
