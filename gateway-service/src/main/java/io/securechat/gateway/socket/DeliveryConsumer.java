package io.securechat.gateway.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.CloseReason;
import io.securechat.gateway.messaging.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes this node's {@code chat.delivery.v1.<nodeId>} and writes each frame to the sockets
 * of its recipients on this node (docs/events.md). {@code message} frames pass through each
 * socket's {@link ConversationCursor}, so a client gets every seq once and in order.
 *
 * <p>Writes are not awaited: one client that stops reading must not hold up every other
 * socket of the node. A socket whose unsent backlog passes {@link #MAX_PENDING_WRITES} is
 * closed instead (it reconnects and resumes).
 */
@ApplicationScoped
public class DeliveryConsumer {

    private static final Logger LOG = Logger.getLogger(DeliveryConsumer.class);
    static final int MAX_PENDING_WRITES = 512;
    private static final EnumSet<ErrorCode> CODES = EnumSet.allOf(ErrorCode.class);

    @Inject
    ObjectMapper json;

    @Inject
    SocketRegistry registry;

    @Inject
    SocketSender sender;

    @Inject
    SocketMetrics metrics;

    @Incoming(Topics.DELIVERY)
    public void deliver(String payload) {
        JsonNode d;
        try {
            d = json.readTree(payload);
        } catch (JsonProcessingException e) {
            LOG.warn("unreadable delivery record skipped");
            return;
        }
        JsonNode frame = d.get("frame");
        if (frame == null || !frame.isObject()) {
            return;
        }
        List<SocketSession> targets = targets(d);
        if (targets.isEmpty()) {
            return;
        }
        String type = frame.path("type").asText();
        String text = frame.toString();
        String conversationId = frame.path("conversationId").asText(null);
        boolean sequenced = "message".equals(type) && frame.hasNonNull("seq") && conversationId != null;
        if ("message.rejected".equals(type)) {
            metrics.rejection(wireCode(frame.path("code").asText()));
        }
        long now = System.nanoTime();
        for (SocketSession s : targets) {
            if (!sequenced) {
                if (conversationId != null && "conversation.started".equals(type)) {
                    // This socket started the conversation: it has everything from seq 1 on.
                    ConversationCursor c = s.cursor(conversationId);
                    if (c != null) {
                        c.subscribe(0);
                    }
                }
                write(s, type, text);
                if (conversationId != null && "conversation.closed".equals(type)) {
                    s.cursors.remove(conversationId);
                }
                continue;
            }
            ConversationCursor c = s.cursor(conversationId);
            if (c == null) {
                write(s, type, text);
                continue;
            }
            // Offer and write under the cursor's lock: a resume writes history frames from
            // another thread, and the socket must get them in seq order.
            synchronized (c) {
                List<String> out = c.offer(frame.get("seq").asLong(), text, now);
                if (out == null) {
                    // The client fell so far behind that the gap cannot be held: it reconnects and resumes.
                    sender.terminate(s, "out_of_sync", new CloseReason(CloseCodes.GOING_AWAY, "resubscribe"))
                            .subscribe().with(v -> {}, t -> {});
                    continue;
                }
                for (String f : out) {
                    write(s, type, f);
                }
            }
        }
        if (sequenced && d.hasNonNull("receivedAt")) {
            try {
                metrics.deliveryLatency(Duration.between(Instant.parse(d.get("receivedAt").asText()), Instant.now()));
            } catch (RuntimeException ignored) {
                // a malformed timestamp costs one latency sample, nothing more
            }
        }
    }

    private List<SocketSession> targets(JsonNode d) {
        List<SocketSession> targets = new ArrayList<>();
        String connectionId = d.path("connectionId").asText(null);
        if (connectionId != null && !connectionId.isEmpty()) {
            SocketSession s = registry.byConnectionId(connectionId);
            if (s != null) {
                targets.add(s);
            }
            return targets;
        }
        for (JsonNode r : d.path("recipients")) {
            targets.addAll(registry.byUser(r.asText()));
        }
        return targets;
    }

    /** Writes without waiting; closes a socket whose backlog shows it stopped reading. */
    void write(SocketSession s, String type, String text) {
        if (s.pendingWrites.incrementAndGet() > MAX_PENDING_WRITES) {
            s.pendingWrites.decrementAndGet();
            sender.terminate(s, "slow_consumer", new CloseReason(CloseCodes.POLICY, "not reading"))
                    .subscribe().with(v -> {}, t -> {});
            return;
        }
        sender.sendRaw(s, type, text).subscribe().with(v -> s.pendingWrites.decrementAndGet(),
                t -> s.pendingWrites.decrementAndGet());
    }

    private static String wireCode(String code) {
        for (ErrorCode c : CODES) {
            if (c.wire().equals(code)) {
                return c.wire();
            }
        }
        return "other";
    }

}
