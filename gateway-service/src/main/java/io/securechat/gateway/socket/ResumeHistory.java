package io.securechat.gateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.securechat.gateway.identity.ChatPrincipal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Where a resuming socket's missed messages come from: transcript-service's history
 * ({@code /internal/v1/conversations/{id}/messages}), read with the gateway's own service
 * identity for the socket's user, who is authorized there exactly as through the public history
 * API (guests included, who have no Keycloak token). The messages come back in seq order as
 * WebSocket frames. session-service's replay then covers only what the transcript has not
 * stored yet (its store lags the live path by a moment), so the resume stays gap-free.
 *
 * <p>Any failure (transcript-service down or slow, Keycloak down) gives an empty list within
 * {@code chat.resume-history.timeout}: the resume then falls back to session-service's replay
 * alone, which still covers its retention window. Counted in
 * {@code chat_gateway_resume_history_total{outcome}}.
 */
@ApplicationScoped
public class ResumeHistory {

    private static final Logger LOG = Logger.getLogger(ResumeHistory.class);
    private static final int PAGE = 128;

    /** One fetched message: its seq and the frame as sent on the wire. */
    public record Frame(long seq, String json) {}

    @Inject
    OidcClient oidc;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "chat.resume-history.url")
    URI base;

    @ConfigProperty(name = "chat.resume-history.timeout")
    Duration timeout;

    @ConfigProperty(name = "chat.resume-history.max-messages")
    int maxMessages;

    private HttpClient client;
    private volatile Tokens tokens;
    private volatile long lastWarning;

    @PostConstruct
    void init() {
        client = vertx.createHttpClient();
    }

    /** The stored messages after {@code afterSeq} that this user may read, oldest first; empty on any failure. */
    public Uni<List<Frame>> after(String conversationId, long afterSeq, ChatPrincipal user) {
        return token()
                .chain(t -> pages(t, conversationId, afterSeq, user, new ArrayList<>()))
                .ifNoItem().after(timeout).fail()
                .invoke(frames -> count(frames.isEmpty() ? "none" : "found"))
                .onFailure().recoverWithItem(t -> {
                    count("failed");
                    long now = System.currentTimeMillis();
                    if (now - lastWarning > 30_000) {
                        lastWarning = now;
                        LOG.warnf("resume history unavailable, falling back to session-service's replay: %s",
                                t.getClass().getSimpleName());
                    }
                    return List.of();
                });
    }

    private Uni<String> token() {
        Tokens t = tokens;
        if (t != null && !t.isAccessTokenExpired() && !t.isAccessTokenWithinRefreshInterval()) {
            return Uni.createFrom().item(t.getAccessToken());
        }
        return oidc.getTokens().invoke(fresh -> tokens = fresh).map(Tokens::getAccessToken);
    }

    private Uni<List<Frame>> pages(String token, String conversationId, long afterSeq, ChatPrincipal user, List<Frame> acc) {
        String roles = String.join(",", user.roles());
        String uri = "/internal/v1/conversations/" + conversationId + "/messages?afterSeq=" + afterSeq + "&limit=" + PAGE
                + "&userId=" + URLEncoder.encode(user.userId(), StandardCharsets.UTF_8)
                + "&roles=" + URLEncoder.encode(roles, StandardCharsets.UTF_8);
        RequestOptions req = new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost()).setPort(base.getPort())
                .setURI(uri).setTimeout(timeout.toMillis()).putHeader("Authorization", "Bearer " + token)
                .putHeader("Accept", "application/json");
        return client.request(req).chain(r -> r.send()).chain(resp -> body(resp)).chain(page -> {
            if (page == null) {
                return Uni.createFrom().item(acc); // 404: not this user's to read, or not stored (yet)
            }
            long last = afterSeq;
            for (JsonNode m : page.path("messages")) {
                long seq = m.path("seq").asLong();
                if (seq <= last) {
                    continue;
                }
                acc.add(new Frame(seq, m.toString()));
                last = seq;
            }
            boolean more = page.path("hasMore").asBoolean(false) && last > afterSeq && acc.size() + PAGE <= maxMessages;
            return more ? pages(token, conversationId, last, user, acc) : Uni.createFrom().item(acc);
        });
    }

    private Uni<JsonNode> body(HttpClientResponse resp) {
        return resp.body().map(Buffer::toString).map(text -> {
            if (resp.statusCode() == 404) {
                return null;
            }
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("transcript-service answered " + resp.statusCode());
            }
            try {
                return json.readTree(text);
            } catch (Exception e) {
                throw new IllegalStateException("unreadable history page");
            }
        });
    }

    private void count(String outcome) {
        registry.counter("chat.gateway.resume.history", "outcome", outcome).increment();
    }
}
