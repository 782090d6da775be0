package io.securechat.gateway.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.websockets.next.CloseReason;
import io.securechat.gateway.GatewayConfig;
import io.securechat.gateway.guest.GuestSessionStore;
import io.securechat.gateway.identity.ChatPrincipal;
import io.securechat.gateway.identity.Principals;
import io.securechat.gateway.identity.UuidV7;
import io.securechat.gateway.messaging.AuditEvents;
import io.securechat.gateway.messaging.ChatPublisher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Checks and acts on client frames (protocol v1, ARCHITECTURE section 5). Checking and acting
 * are kept apart: each {@code check*} either returns the values a frame carries or answers an
 * {@code error} and counts a violation; nothing about a bad frame reaches Kafka.
 */
@ApplicationScoped
public class FrameHandler {

    private static final Logger LOG = Logger.getLogger(FrameHandler.class);
    private static final Pattern QUEUE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Long enough for a client to reconnect and resend; short enough to keep Redis small. */
    private static final Duration DEDUP_TTL = Duration.ofMinutes(15);
    /** How long a conversation.start's clientRef keeps pointing at its conversation. */
    private static final Duration CLIENT_REF_TTL = Duration.ofHours(24);
    /** Frames of one socket waiting for Redis or Kafka; more is a flood. */
    static final int MAX_IN_FLIGHT = 64;
    private static final Pattern USER_ID = Pattern.compile(
            "(guest:)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** A bad frame: answered with an error, counted towards 4429. */
    static final class FrameException extends RuntimeException {
        final ErrorCode code;
        final String ref;

        FrameException(ErrorCode code, String message, String ref) {
            super(message, null, false, false);
            this.code = code;
            this.ref = ref;
        }
    }

    @Inject
    ObjectMapper json;

    @Inject
    GatewayConfig config;

    @Inject
    ChatPublisher publisher;

    @Inject
    AuditEvents audit;

    @Inject
    SocketMetrics metrics;

    @Inject
    SocketSender sender;

    @Inject
    TenantIdentityProvider tokens;

    @Inject
    GuestSessionStore guests;

    @Inject
    DeliveryConsumer deliveries;

    @Inject
    ResumeHistory history;

    private final ReactiveValueCommands<String, String> values;

    public FrameHandler(ReactiveRedisDataSource redis) {
        this.values = redis.value(String.class, String.class);
    }

    public Uni<Void> handle(SocketSession s, String text) {
        s.lastSeenNanos = System.nanoTime();
        if (!s.frames.tryTake(System.nanoTime())) {
            return violation(s, new FrameException(ErrorCode.RATE_LIMITED, "too many frames; slow down", null));
        }
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (JsonProcessingException e) {
            metrics.frameIn("other");
            return violation(s, new FrameException(ErrorCode.BAD_REQUEST, "a frame must be one JSON object", null));
        }
        if (frame == null || !frame.isObject() || !frame.path("type").isTextual()) {
            metrics.frameIn("other");
            return violation(s, new FrameException(ErrorCode.BAD_REQUEST, "a frame must be a JSON object with a string 'type'", null));
        }
        String type = frame.get("type").asText();
        metrics.frameIn(type);
        if (!"auth.refresh".equals(type) && !"ping".equals(type) && !s.principal.expiresAt().isAfter(Instant.now())) {
            return error(s, ErrorCode.TOKEN_EXPIRED, "the token expired; send auth.refresh", type);
        }
        try {
            return dispatch(s, type, frame).onFailure(FrameException.class)
                    .recoverWithUni(e -> violation(s, (FrameException) e))
                    .onFailure().recoverWithUni(t -> {
                        LOG.warnf("frame %s failed: %s", type, t.getClass().getSimpleName());
                        return error(s, ErrorCode.INTERNAL, "the request failed; try again", type);
                    });
        } catch (FrameException e) {
            return violation(s, e);
        }
    }

    /**
     * Runs work that waits for Redis or Kafka after the socket's earlier such work, without
     * the socket waiting: pings, heartbeats and the rate limit keep working while the broker
     * is slow, and frames still reach Kafka in the order they arrived.
     */
    private Uni<Void> later(SocketSession s, String ref, java.util.function.Supplier<Uni<Void>> work) {
        if (s.inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            s.inFlight.decrementAndGet();
            return violation(s, new FrameException(ErrorCode.RATE_LIMITED, "too many frames waiting; slow down", ref));
        }
        s.tail = s.tail.thenCompose(v -> work.get()
                .onFailure().recoverWithUni(t -> {
                    LOG.warnf("frame %s failed: %s", ref, t.getClass().getSimpleName());
                    return error(s, ErrorCode.INTERNAL, "the request failed; try again", ref);
                })
                .subscribeAsCompletionStage()
                .exceptionally(t -> null))
                .whenComplete((v, t) -> s.inFlight.decrementAndGet());
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> dispatch(SocketSession s, String type, JsonNode f) {
        ChatPrincipal p = s.principal;
        return switch (type) {
            case "ping" -> sender.send(s, frame("pong"));
            case "message.send" -> send(s, f);
            case "conversation.start" -> {
                requireRole(p, type, "customer", ChatPrincipal.GUEST_ROLE);
                String clientRef = text(f, "clientRef", true, 64, type);
                String queue = text(f, "queue", true, 32, type);
                if (!QUEUE.matcher(queue).matches()) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "'queue' is not a queue id", type);
                }
                String subject = text(f, "subject", false, 200, type);
                // A start repeated with the same clientRef (its answer was lost in a drop) gets
                // the same conversation id, so it can never open a second conversation.
                String fresh = UuidV7.next().toString();
                String refKey = "chat:clientref:" + p.userId() + ":" + clientRef;
                yield values.setGet(refKey, fresh, new SetArgs().nx().px(CLIENT_REF_TTL))
                        .onFailure().recoverWithItem(t -> {
                            dedupUnavailable(t);
                            return null;
                        })
                        .chain(previous -> {
                            ObjectNode c = command(s, "start", previous != null ? previous : fresh);
                            c.put("clientRef", clientRef).put("queue", queue);
                            if (subject != null) {
                                c.put("subject", subject);
                            } else {
                                c.putNull("subject");
                            }
                            return publishCommand(s, c, type);
                        });
            }
            case "conversation.subscribe" -> {
                String id = conversationId(f, type);
                long afterSeq = number(f, "afterSeq", true, 0, type);
                ConversationCursor cursor = s.cursor(id);
                if (cursor == null) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "this socket follows too many conversations", type);
                }
                synchronized (cursor) {
                    for (String m : cursor.subscribe(afterSeq)) {
                        deliveries.write(s, "message", m);
                    }
                }
                // Missed messages from the transcript first; session-service then replays only
                // what the transcript did not have yet (ResumeHistory).
                // Queued behind this socket's earlier frames (not blocking its pings meanwhile),
                // and ahead of its later ones: a message.send after the subscribe stays after it.
                yield later(s, type, () -> history.after(id, afterSeq, p).chain(frames -> {
                    long upTo = afterSeq;
                    synchronized (cursor) {
                        for (ResumeHistory.Frame m : frames) {
                            if (m.seq() == upTo + 1) {
                                upTo = m.seq();
                            }
                            List<String> out = cursor.offer(m.seq(), m.json(), System.nanoTime());
                            if (out == null) {
                                break; // more than the cursor holds: session-service's replay fills in
                            }
                            for (String o : out) {
                                deliveries.write(s, "message", o);
                            }
                        }
                    }
                    return publishCommand(s, command(s, "subscribe", id).put("afterSeq", upTo), type);
                }));
            }
            case "typing" -> publishCommand(s, command(s, "typing", conversationId(f, type)), type);
            case "read" -> {
                String id = conversationId(f, type);
                long seq = number(f, "seq", true, 1, type);
                yield publishCommand(s, command(s, "read", id).put("seq", seq), type);
            }
            case "conversation.accept" -> {
                requireRole(p, type, "agent");
                yield publishCommand(s, command(s, "accept", conversationId(f, type)), type);
            }
            case "conversation.transfer" -> {
                requireRole(p, type, "agent", "supervisor");
                String id = conversationId(f, type);
                String toQueue = text(f, "toQueue", false, 32, type);
                String toAgent = text(f, "toAgent", false, 64, type);
                if ((toQueue == null) == (toAgent == null)) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "give exactly one of 'toQueue' and 'toAgent'", type);
                }
                ObjectNode c = command(s, "transfer", id);
                c.put("toQueue", toQueue).put("toAgent", toAgent);
                yield publishCommand(s, c, type);
            }
            case "conversation.close" -> publishCommand(s, command(s, "close", conversationId(f, type)), type);
            case "agent.status" -> {
                requireRole(p, type, "agent");
                String status = text(f, "status", true, 16, type);
                if (!status.equals("online") && !status.equals("away") && !status.equals("offline")) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "'status' must be online, away or offline", type);
                }
                ObjectNode c = command(s, "agent.status", null);
                c.put("status", status);
                if (f.has("capacity")) {
                    c.put("capacity", number(f, "capacity", true, 1, type));
                    if (c.get("capacity").asLong() > 50) {
                        throw new FrameException(ErrorCode.BAD_REQUEST, "'capacity' must be 1 to 50", type);
                    }
                } else {
                    c.putNull("capacity");
                }
                yield publishCommand(s, c, p.userId(), type);
            }
            case "user.report" -> report(s, f);
            case "auth.refresh" -> refresh(s, f);
            default -> throw new FrameException(ErrorCode.UNKNOWN_TYPE, "unknown frame type", truncate(type));
        };
    }

    // --- message.send ------------------------------------------------------------------

    private Uni<Void> send(SocketSession s, JsonNode f) {
        String clientMsgId = text(f, "clientMsgId", true, 64, "message.send");
        if (!CLIENT_ID.matcher(clientMsgId).matches()) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "'clientMsgId' must be 1-64 letters, digits or ._:-", "message.send");
        }
        String conversationId = conversationId(f, clientMsgId);
        String text = text(f, "text", true, config.maxTextLength(), clientMsgId);
        if (text.isBlank()) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "'text' is empty", clientMsgId);
        }
        var attachments = json.createArrayNode();
        JsonNode a = f.get("attachmentIds");
        if (a != null && !a.isNull()) {
            if (!a.isArray() || a.size() > config.maxAttachments()) {
                throw new FrameException(ErrorCode.BAD_REQUEST, "'attachmentIds' must be a list of at most "
                        + config.maxAttachments() + " ids", clientMsgId);
            }
            for (JsonNode id : a) {
                if (!id.isTextual() || !isUuid(id.asText())) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "'attachmentIds' must hold attachment ids", clientMsgId);
                }
                attachments.add(id.asText());
            }
        }
        ChatPrincipal p = s.principal;
        String fresh = UuidV7.next().toString();
        String dedupKey = "chat:clientmsg:" + p.userId() + ":" + conversationId + ":" + clientMsgId;
        return later(s, clientMsgId, () -> values.setGet(dedupKey, "pending:" + fresh, new SetArgs().nx().px(DEDUP_TTL))
                .onFailure().recoverWithItem(t -> {
                    dedupUnavailable(t);
                    return null;
                })
                .chain(previous -> {
                    if (previous != null && !previous.startsWith("pending:")) {
                        return ack(s, clientMsgId, previous); // acked before: same messageId, not published again
                    }
                    // New, or an earlier copy whose fate is unknown (in flight, timed out, or its
                    // node died): publish under the one messageId; consumers drop repeats by id.
                    String messageId = previous == null ? fresh : previous.substring("pending:".length());
                    ObjectNode r = json.createObjectNode();
                    r.put("v", 1).put("messageId", messageId).put("clientMsgId", clientMsgId)
                            .put("conversationId", conversationId);
                    r.set("sender", sender(p));
                    r.put("text", text);
                    r.set("attachmentIds", attachments);
                    r.put("gatewayNode", config.nodeId()).put("connectionId", s.connectionId)
                            .put("receivedAt", Instant.now().toString());
                    return publisher.inbound(conversationId, r)
                            .chain(() -> values.set(dedupKey, messageId, new SetArgs().xx().px(DEDUP_TTL))
                                    .onFailure().recoverWithNull().replaceWithVoid())
                            .chain(() -> ack(s, clientMsgId, messageId))
                            .onFailure().recoverWithUni(t -> {
                                LOG.warnf("message %s not accepted by Kafka: %s", messageId, t.getClass().getSimpleName());
                                return error(s, ErrorCode.INTERNAL, "the message was not accepted; send it again", clientMsgId);
                            });
                }));
    }

    private volatile long lastDedupWarning;

    private void dedupUnavailable(Throwable t) {
        metrics.error("dedup_unavailable");
        long now = System.currentTimeMillis();
        if (now - lastDedupWarning > 30_000) {
            lastDedupWarning = now;
            LOG.warnf("clientMsgId de-duplication unavailable (Redis): %s", t.getClass().getSimpleName());
        }
    }

    private Uni<Void> ack(SocketSession s, String clientMsgId, String messageId) {
        metrics.ack();
        return sender.send(s, frame("message.ack").put("clientMsgId", clientMsgId).put("messageId", messageId));
    }

    // --- commands -------------------------------------------------------------------------

    private ObjectNode command(SocketSession s, String type, String conversationId) {
        ObjectNode c = json.createObjectNode();
        c.put("v", 1).put("commandId", UuidV7.next().toString()).put("type", type);
        if (conversationId != null) {
            c.put("conversationId", conversationId);
        } else {
            c.putNull("conversationId");
        }
        c.set("actor", sender(s.principal));
        c.put("gatewayNode", config.nodeId()).put("connectionId", s.connectionId).put("issuedAt", Instant.now().toString());
        return c;
    }

    private Uni<Void> publishCommand(SocketSession s, ObjectNode c, String ref) {
        return publishCommand(s, c, c.get("conversationId").asText(), ref);
    }

    private Uni<Void> publishCommand(SocketSession s, ObjectNode c, String key, String ref) {
        return later(s, ref, () -> publisher.command(key, c));
    }

    ObjectNode sender(ChatPrincipal p) {
        ObjectNode a = json.createObjectNode();
        a.put("userId", p.userId());
        var roles = a.putArray("roles");
        p.roles().forEach(roles::add);
        a.put("displayName", p.displayName()).put("guest", p.guest());
        if (p.fingerprint() != null) {
            a.put("fingerprint", p.fingerprint());
        } else {
            a.putNull("fingerprint");
        }
        return a;
    }

    /** Tells session-service a socket is gone (agent presence, subscriptions). */
    Uni<Void> connectionClosed(SocketSession s, long remainingSockets) {
        ObjectNode c = command(s, "connection.closed", null);
        c.put("remainingSockets", remainingSockets);
        return publisher.command(s.principal.userId(), c).onFailure().recoverWithNull().replaceWithVoid();
    }

    // --- user.report and auth.refresh -----------------------------------------------------

    private Uni<Void> report(SocketSession s, JsonNode f) {
        String userId = text(f, "userId", true, 64, "user.report");
        if (!USER_ID.matcher(userId).matches()) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "'userId' is not a user id", "user.report");
        }
        String conversationId = conversationId(f, "user.report");
        String reason = text(f, "reason", true, 500, "user.report");
        var ids = json.createArrayNode();
        JsonNode m = f.get("messageIds");
        if (m != null && !m.isNull()) {
            if (!m.isArray() || m.size() > 50) {
                throw new FrameException(ErrorCode.BAD_REQUEST, "'messageIds' must be a list of at most 50 ids", "user.report");
            }
            m.forEach(id -> {
                if (!id.isTextual() || !isUuid(id.asText())) {
                    throw new FrameException(ErrorCode.BAD_REQUEST, "'messageIds' must hold message ids", "user.report");
                }
                ids.add(id.asText());
            });
        }
        // The report's free text stays out of the audit record: it may quote the reported messages.
        ObjectNode c = command(s, "report", conversationId);
        c.put("reportedUserId", userId).put("reason", reason);
        c.set("messageIds", ids);
        return later(s, "user.report", () -> publisher.command(conversationId, c)
                .chain(() -> audit.record(s.principal, "user.reported", "user", userId, "SUCCESS",
                        Map.of("conversationId", conversationId, "messageIds", ids.size())).onFailure().recoverWithNull())
                .replaceWithVoid());
    }

    private Uni<Void> refresh(SocketSession s, JsonNode f) {
        String token = text(f, "token", true, 16384, "auth.refresh");
        ChatPrincipal current = s.principal;
        Uni<ChatPrincipal> fresh = current.guest()
                ? guests.lookup(token)
                : tokens.authenticate(new AccessTokenCredential(token)).map(Principals::fromIdentity)
                        .onFailure().recoverWithNull();
        return fresh.onFailure().recoverWithNull().chain(p -> {
            if (p == null || !p.userId().equals(current.userId()) || !p.expiresAt().isAfter(Instant.now())) {
                return audit.record(current, "token.refresh", "connection", s.connectionId, "DENIED", Map.of())
                        .onFailure().recoverWithNull()
                        .chain(() -> violation(s, new FrameException(ErrorCode.TOKEN_EXPIRED,
                                "the token is not valid for this session", "auth.refresh")));
            }
            // A refreshed token brings the user's current roles: a role taken away ends here.
            s.principal = current.guest() ? current.withExpiresAt(p.expiresAt()) : p;
            return sender.send(s, welcome(s));
        });
    }

    ObjectNode welcome(SocketSession s) {
        ChatPrincipal p = s.principal;
        ObjectNode w = frame("session.welcome");
        w.put("userId", p.userId());
        var roles = w.putArray("roles");
        p.roles().forEach(roles::add);
        w.put("displayName", p.displayName()).put("heartbeatSec", config.heartbeat().toSeconds())
                .put("tokenExpiresAt", p.expiresAt().toString());
        return w;
    }

    // --- checks ---------------------------------------------------------------------------

    private static void requireRole(ChatPrincipal p, String type, String... roles) {
        if (!p.hasAnyRole(roles)) {
            throw new FrameException(ErrorCode.FORBIDDEN, "your role may not send " + type, type);
        }
    }

    private static String text(JsonNode f, String field, boolean required, int max, String ref) {
        JsonNode v = f.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new FrameException(ErrorCode.BAD_REQUEST, "'" + field + "' is missing", ref);
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a string", ref);
        }
        String s = v.asText();
        if (s.length() > max) {
            throw new FrameException(ErrorCode.TOO_LARGE, "'" + field + "' is longer than " + max + " characters", ref);
        }
        return s;
    }

    private static long number(JsonNode f, String field, boolean required, long min, String ref) {
        JsonNode v = f.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new FrameException(ErrorCode.BAD_REQUEST, "'" + field + "' is missing", ref);
            }
            return min;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a whole number >= " + min, ref);
        }
        return v.asLong();
    }

    private static String conversationId(JsonNode f, String ref) {
        String id = text(f, "conversationId", true, 36, ref);
        if (!isUuid(id)) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "'conversationId' is not a conversation id", ref);
        }
        return id;
    }

    static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }

    // --- answers --------------------------------------------------------------------------

    ObjectNode frame(String type) {
        return json.createObjectNode().put("type", type);
    }

    Uni<Void> error(SocketSession s, ErrorCode code, String message, String ref) {
        metrics.error(code.wire());
        ObjectNode e = frame("error").put("code", code.wire()).put("message", message);
        if (ref != null) {
            e.put("ref", ref);
        }
        return sender.send(s, e);
    }

    /** Answers a bad frame and closes the socket with 4429 once it has had too many. */
    Uni<Void> violation(SocketSession s, FrameException e) {
        long now = System.nanoTime();
        long window = config.violationWindow().toNanos();
        int count;
        synchronized (s.violations) {
            s.violations.addLast(now);
            while (!s.violations.isEmpty() && now - s.violations.peekFirst() > window) {
                s.violations.pollFirst();
            }
            count = s.violations.size();
        }
        Uni<Void> answer = error(s, e.code, e.getMessage(), e.ref);
        if (count > config.maxViolations()) {
            return answer.chain(() -> sender.terminate(s, "too_many_violations",
                    new CloseReason(CloseCodes.TOO_MANY_VIOLATIONS, "too many bad frames")));
        }
        return answer;
    }
}
