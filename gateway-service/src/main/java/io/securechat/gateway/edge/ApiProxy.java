package io.securechat.gateway.edge;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The gateway is the only public edge (ARCHITECTURE section 2): {@code /api/v1/**} requests it
 * does not answer itself go to the internal service that owns them ({@link ApiRoutes}). The
 * caller's bearer token goes along unchanged, because every service checks it and its own
 * authorization again; the gateway adds who called from where ({@code X-Forwarded-*}) and
 * passes only the headers a JSON or file API needs. Bodies are streamed both ways.
 * An upstream that cannot be reached answers 503, one that is too slow 504, each with an
 * {@code error}-style JSON body; nothing of the request is logged but method, route and status.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);

    /** Request headers passed upstream; cookies and hop-by-hop headers are not. */
    static final List<String> REQUEST_HEADERS = List.of("Authorization", "Content-Type", "Content-Length", "Accept",
            "Accept-Language", "X-Request-Id", "If-None-Match");

    /** Response headers passed back (no hop-by-hop ones); the edge sets its own security headers. */
    static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Content-Length", "Content-Disposition",
            "Cache-Control", "ETag", "Location", "Retry-After", "WWW-Authenticate");

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    @Inject
    EdgeConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    private ApiRoutes routes;
    private HttpClient client;

    /** Installs the proxy route; the edge's HTTP permission policy (authenticated for /api/*) runs before it. */
    void route(@Observes Router router) {
        routes = new ApiRoutes(config.upstreams());
        // A connection may stay silent as long as the slowest upstream may take to answer.
        long idle = Math.max(60, config.upstreams().values().stream()
                .mapToLong(u -> u.timeout().orElse(config.upstreamTimeout()).toSeconds()).max().orElse(60));
        client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(2_000)
                .setIdleTimeout((int) Math.min(idle, Integer.MAX_VALUE)));
        router.routeWithRegex("/api/v1/.+").handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        var target = routes.route(in.path());
        if (target.isEmpty()) {
            ctx.next(); // the gateway's own endpoints (tickets, guest sessions, client config) or a 404
            return;
        }
        String upstream = target.get().upstream();
        if (!METHODS.contains(in.method().name())) {
            reply(ctx, upstream, 405, "bad_request", "method not allowed");
            return;
        }
        var base = target.get().base();
        RequestOptions out = new RequestOptions()
                .setMethod(in.method())
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(in.uri())
                .setTimeout(timeout(upstream).toMillis());
        for (String h : REQUEST_HEADERS) {
            String v = in.getHeader(h);
            if (v != null) {
                out.putHeader(h, v);
            }
        }
        String remote = in.remoteAddress() == null ? "" : in.remoteAddress().hostAddress();
        out.putHeader("X-Forwarded-For", remote);
        out.putHeader("X-Forwarded-Proto", "https");
        out.putHeader("X-Forwarded-Host", in.authority() == null ? "" : in.authority().toString());
        in.pause();
        client.request(out)
                .compose(req -> req.send(in))
                .onSuccess(resp -> pipeBack(ctx, upstream, resp))
                .onFailure(err -> {
                    boolean timeout = err instanceof java.util.concurrent.TimeoutException
                            || String.valueOf(err.getMessage()).contains("timeout");
                    LOG.warnf("upstream %s failed for %s %s: %s", upstream, in.method(), routePattern(in.path()),
                            err.getClass().getSimpleName());
                    if (!ctx.response().headWritten()) {
                        reply(ctx, upstream, timeout ? 504 : 503, "internal",
                                "the " + upstream + " service is " + (timeout ? "not answering in time" : "unavailable") + "; try again shortly");
                    } else {
                        ctx.response().reset();
                    }
                });
    }

    private java.time.Duration timeout(String upstream) {
        EdgeConfig.Upstream u = config.upstreams().get(upstream);
        return u == null ? config.upstreamTimeout() : u.timeout().orElse(config.upstreamTimeout());
    }

    private void pipeBack(RoutingContext ctx, String upstream, HttpClientResponse resp) {
        HttpServerResponse res = ctx.response();
        res.setStatusCode(resp.statusCode());
        for (String h : RESPONSE_HEADERS) {
            String v = resp.getHeader(h);
            if (v != null) {
                res.putHeader(h, v);
            }
        }
        if (resp.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            res.setChunked(true);
        }
        count(upstream, resp.statusCode());
        resp.pipeTo(res);
    }

    private void reply(RoutingContext ctx, String upstream, int status, String code, String message) {
        count(upstream, status);
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new io.vertx.core.json.JsonObject().put("code", code).put("message", message).encode());
    }

    private void count(String upstream, int status) {
        registry.counter("chat.gateway.api.requests", "upstream", upstream, "status", (status / 100) + "xx").increment();
    }

    /** The path with its id-like segments hidden, for logs (ids are not secrets, but logs need no user ids). */
    static String routePattern(String path) {
        return path.replaceAll("/[0-9a-fA-F-]{8,}|/guest:[^/]+|/[^/]*@[^/]*", "/{id}");
    }
}
