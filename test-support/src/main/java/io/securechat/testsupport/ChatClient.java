package io.securechat.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A protocol v1 client for tests: connects over WSS trusting the local CA, sends frames, and
 * keeps every frame it receives so a test can wait for the one it expects.
 */
public final class ChatClient implements AutoCloseable {

    public static final String ORIGIN = "https://127.0.0.1:8443";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().sslContext(localCa())
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;
    private volatile String closeReason = "";

    /** Like a real client, ping within the server's heartbeat (25 s) so idle tests stay connected. */
    private static final java.util.concurrent.ScheduledExecutorService PINGER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chat-client-ping");
                t.setDaemon(true);
                return t;
            });
    private java.util.concurrent.ScheduledFuture<?> pings;

    private ChatClient() {}

    /** Connects with a bearer token (non-browser clients). */
    public static ChatClient withToken(String wsUrl, String token) {
        return connect(wsUrl, Map.of("Authorization", "Bearer " + token, "Origin", ORIGIN));
    }

    /** Connects with a one-time ticket, as a browser does. */
    public static ChatClient withTicket(String wsUrl, String ticket) {
        return connect(wsUrl + "?ticket=" + ticket, Map.of("Origin", ORIGIN));
    }

    public static ChatClient connect(String url, Map<String, String> headers) {
        return connect(url, headers, true);
    }

    /** Connects offering the chat.v1 subprotocol or none. */
    public static ChatClient connect(String url, Map<String, String> headers, boolean offerProtocol) {
        ChatClient c = new ChatClient();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (offerProtocol) {
            b.subprotocols("chat.v1");
        }
        headers.forEach(b::header);
        try {
            c.socket = b.buildAsync(URI.create(url), c.listener()).get(10, TimeUnit.SECONDS);
            c.pings = PINGER.scheduleAtFixedRate(c::ping, 15, 15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("WebSocket upgrade to " + url.replaceAll("ticket=[^&]+", "ticket=...")
                    + " failed: " + rootMessage(e), e);
        }
        return c;
    }

    /** The HTTP status of a refused upgrade, or 101 when it succeeded. */
    public static int upgradeStatus(String url, Map<String, String> headers) {
        return upgradeStatus(url, headers, true);
    }

    public static int upgradeStatus(String url, Map<String, String> headers, boolean offerProtocol) {
        try (ChatClient c = connect(url, headers, offerProtocol)) {
            return 101;
        } catch (IllegalStateException e) {
            var m = java.util.regex.Pattern.compile("HTTP (\\d{3})").matcher(String.valueOf(e.getMessage()));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        frames.add(JSON.readTree(partial.toString()));
                    } catch (IOException e) {
                        frames.add(JSON.createObjectNode().put("type", "__unparseable__"));
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeReason = reason;
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closeReason = error.toString();
                closed.complete(-1);
            }
        };
    }

    private void ping() {
        if (closed.isDone()) {
            pings.cancel(false);
            return;
        }
        try {
            sendRaw("{\"type\":\"ping\"}");
        } catch (RuntimeException ignored) {
            // a socket being closed; the next round cancels
        }
    }

    public ChatClient send(Map<String, ?> frame) {
        return sendRaw(JSON.valueToTree(frame).toString());
    }

    public synchronized ChatClient sendRaw(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** Waits for the first received frame (from the start) of this type matching the test. */
    public JsonNode await(String type, Predicate<JsonNode> test, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (JsonNode f : frames) {
                if (type.equals(f.path("type").asText()) && test.test(f)) {
                    return f;
                }
            }
            sleep(20);
        }
        throw new AssertionError("no '" + type + "' frame matching within " + timeout + "; received: " + frames
                + (closed.isDone() ? "; socket closed with " + closed.getNow(0) + " " + closeReason : "; socket open"));
    }

    public JsonNode await(String type) {
        return await(type, f -> true, Duration.ofSeconds(15));
    }

    public List<JsonNode> frames(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : frames) {
            if (type.equals(f.path("type").asText())) {
                out.add(f);
            }
        }
        return out;
    }

    public List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** The close code the server sent, waiting up to the timeout; -1 on an abrupt end. */
    public int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("socket not closed within " + timeout + "; received: " + frames, e);
        }
    }

    /** The subprotocol the server chose. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (pings != null) {
            pings.cancel(false);
        }
        if (socket != null && !closed.isDone()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                socket.abort();
            }
        }
    }

    /** Drops the connection without a close frame, as a lost network does. */
    public void abort() {
        if (pings != null) {
            pings.cancel(false);
        }
        socket.abort();
    }

    public static ObjectNode json() {
        return JSON.createObjectNode();
    }

    private static SSLContext localCa() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(LocalStack.trustStore());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof java.net.http.WebSocketHandshakeException)) {
            t = t.getCause();
        }
        if (t instanceof java.net.http.WebSocketHandshakeException h) {
            return "HTTP " + h.getResponse().statusCode();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
