package io.securechat.transcript.attachment.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.securechat.transcript.api.Reader;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * moderation-service's attachment scan ({@code POST /internal/v1/attachments/scan}), called with
 * this service's own identity {@code chat-transcript} (client credentials, realm role
 * {@code service}) for every upload that passed {@link LocalScanner}, before anything is stored.
 * The file goes as the raw body (wrapped, not copied); the uploader's ids and roles, the
 * conversation and the attachment id as parameters, so moderation-service audits the verdict
 * and counts a rejection against the uploader's reputation.
 *
 * <p>Fails closed: no answer within {@code chat.scan-client.timeout}, a 503, or anything but a
 * well-formed verdict is {@link Unavailable}, and the upload is refused. Blocking (waits on the
 * call): worker threads only.
 */
@ApplicationScoped
public class RemoteScanner {

    static final String PATH = "/internal/v1/attachments/scan";
    private static final Logger LOG = Logger.getLogger(RemoteScanner.class);

    /** The scan's answer (docs/moderation-attachments.md). */
    public record Result(String verdict, String code, String reason, String contentType, String message) {
        public boolean clean() {
            return "CLEAN".equals(verdict);
        }
    }

    /** No verdict could be had: the upload is refused, the user tries again later. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private final OidcClient oidc;
    private final Vertx vertx;
    private final ScanClientConfig config;
    private final ObjectMapper json;
    private HttpClient client;
    private volatile Tokens tokens;

    public RemoteScanner(OidcClient oidc, Vertx vertx, ScanClientConfig config, ObjectMapper json) {
        this.oidc = oidc;
        this.vertx = vertx;
        this.config = config;
        this.json = json;
    }

    @PostConstruct
    void init() {
        client = vertx.createHttpClient();
    }

    public Result scan(Reader uploader, UUID conversationId, UUID attachmentId, String filename, String declaredType,
            byte[] data) throws Unavailable {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        try {
            String token = token().await().atMost(config.timeout());
            URI base = config.url();
            Map<String, String> query = new LinkedHashMap<>();
            query.put("filename", filename);
            if (declaredType != null) {
                query.put("contentType", declaredType);
            }
            query.put("size", String.valueOf(data.length));
            query.put("conversationId", conversationId.toString());
            query.put("attachmentId", attachmentId.toString());
            query.put("uploaderId", uploader.userId());
            query.put("roles", String.join(",", uploader.roles()));
            String uri = (base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "")) + PATH + "?"
                    + query.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .collect(Collectors.joining("&"));
            boolean tls = "https".equalsIgnoreCase(base.getScheme());
            int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost()).setPort(port)
                    .setSsl(tls).setURI(uri).setTimeout(left).putHeader("Authorization", "Bearer " + token)
                    .putHeader("Content-Type", "application/octet-stream").putHeader("Accept", "application/json");
            Buffer body = Buffer.newInstance(io.vertx.core.buffer.Buffer.buffer(Unpooled.wrappedBuffer(data)));
            var response = client.request(request)
                    .chain(r -> r.send(body))
                    .chain(r -> r.body().map(b -> new Answer(r.statusCode(), b.toString())))
                    .await().atMost(java.time.Duration.ofMillis(left));
            return read(response);
        } catch (Unavailable e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("attachment scan of %s (conversation %s) unavailable: %s", attachmentId, conversationId,
                    e.getClass().getSimpleName());
            throw new Unavailable("moderation-service unreachable");
        }
    }

    private record Answer(int status, String body) {}

    private Result read(Answer answer) throws Unavailable {
        if (answer.status() != 200) {
            LOG.warnf("attachment scan answered HTTP %d", answer.status());
            throw new Unavailable("scan answered " + answer.status());
        }
        try {
            JsonNode n = json.readTree(answer.body());
            Result r = new Result(text(n, "verdict"), text(n, "code"), text(n, "reason"), text(n, "contentType"),
                    text(n, "message"));
            boolean wellFormed = r.clean() ? r.contentType() != null
                    : "REJECTED".equals(r.verdict()) && r.code() != null && r.message() != null;
            if (!wellFormed) {
                throw new Unavailable("not a verdict");
            }
            return r;
        } catch (Unavailable e) {
            LOG.warn("attachment scan answered something that is not a verdict");
            throw e;
        } catch (Exception e) {
            LOG.warn("attachment scan answered something that is not JSON");
            throw new Unavailable("not JSON");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private io.smallrye.mutiny.Uni<String> token() {
        Tokens t = tokens;
        if (t != null && !t.isAccessTokenExpired() && !t.isAccessTokenWithinRefreshInterval()) {
            return io.smallrye.mutiny.Uni.createFrom().item(t.getAccessToken());
        }
        return oidc.getTokens().invoke(fresh -> tokens = fresh).map(Tokens::getAccessToken);
    }
}
