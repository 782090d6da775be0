package io.securechat.gateway.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.securechat.testsupport.Keycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The public edge as a browser meets it: the web clients and their security headers, the public
 * client configuration, and the routing of /api/v1/** to internal services, here to a recording
 * upstream (a plain HTTP server in this test) and to one that is down.
 */
@QuarkusTest
@TestProfile(EdgeIT.Upstreams.class)
class EdgeIT {

    /** What the recording upstream saw of each request. */
    record Seen(String method, String uri, Map<String, String> headers, String body) {}

    static final BlockingQueue<Seen> SEEN = new LinkedBlockingQueue<>();
    static HttpServer upstream;

    public static class Upstreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port = startUpstream();
            return Map.of(
                    "chat.edge.upstreams.session.url", "http://127.0.0.1:" + port,
                    "chat.edge.upstreams.audit.url", "http://127.0.0.1:" + freePort(),
                    // A short default, and one upstream allowed longer (as audit's chain check is).
                    "chat.edge.upstream-timeout", "PT2S",
                    "chat.edge.upstreams.session.timeout", "PT12S",
                    "chat.edge.upstreams.moderation.url", "http://127.0.0.1:" + port);
        }
    }

    static synchronized int startUpstream() {
        if (upstream == null) {
            try {
                upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            upstream.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            upstream.createContext("/", ex -> {
                if (ex.getRequestURI().getPath().endsWith("/slow")) {
                    // Answers after 4 s, and stays out of SEEN (other tests read it).
                    try {
                        Thread.sleep(4000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    byte[] out = "{\"slow\":true}".getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, out.length);
                    ex.getResponseBody().write(out);
                    ex.close();
                    return;
                }
                byte[] body = ex.getRequestBody().readAllBytes();
                Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
                SEEN.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), headers,
                        new String(body, StandardCharsets.UTF_8)));
                byte[] out = ("{\"bytes\":" + body.length + "}").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.getResponseHeaders().add("Set-Cookie", "upstream=secret");
                ex.getResponseHeaders().add("X-Internal", "leak");
                ex.sendResponseHeaders(ex.getRequestURI().getPath().endsWith("/missing") ? 404 : 200, out.length);
                ex.getResponseBody().write(out);
                ex.close();
            });
            upstream.start();
        }
        return upstream.getAddress().getPort();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicy() {
        for (String page : new String[] {"/", "/demo/", "/console/", "/privacy.html"}) {
            String csp = given().relaxedHTTPSValidation().get(page).then().statusCode(200)
                    .header("X-Frame-Options", "DENY")
                    .header("Strict-Transport-Security", containsString("max-age="))
                    .header("X-Content-Type-Options", "nosniff")
                    .extract().header("Content-Security-Policy");
            assertTrue(csp.contains("script-src 'self'"), page + ": " + csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
            assertTrue(csp.contains("object-src 'none'"), csp);
            assertTrue(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), csp);
        }
    }

    @Test
    void theWebClientsAreServedWithoutInlineScript() {
        given().relaxedHTTPSValidation().get("/widget/widget.js").then().statusCode(200)
                .contentType(containsString("javascript"));
        given().relaxedHTTPSValidation().get("/console/console.js").then().statusCode(200);
        given().relaxedHTTPSValidation().get("/widget/widget.css").then().statusCode(200).contentType(containsString("css"));
        for (String page : new String[] {"/demo/", "/console/"}) {
            String html = given().relaxedHTTPSValidation().get(page).then().extract().asString();
            // Every <script> has a src: nothing inline that the CSP would have to allow.
            assertEquals(html.split("<script").length - 1, html.split("<script src=").length - 1, page);
            assertTrue(!html.contains("onclick=") && !html.contains("style="), page);
        }
    }

    @Test
    void clientConfigurationIsPublic() {
        given().relaxedHTTPSValidation().get("/api/v1/client-config").then().statusCode(200)
                .body("oidc.clientId", equalTo("chat-web"))
                .body("oidc.issuer", containsString("/realms/chat"))
                .body("privacyPolicy.version", equalTo("2026-11-01"))
                .body("subprotocol", equalTo("chat.v1"));
    }

    @Test
    void apiRequestsWithoutAValidTokenStopAtTheEdge() throws Exception {
        given().relaxedHTTPSValidation().get("/api/v1/queues").then().statusCode(401);
        given().relaxedHTTPSValidation().header("Authorization", "Bearer not-a-token").get("/api/v1/queues")
                .then().statusCode(401);
        assertNull(SEEN.poll(300, TimeUnit.MILLISECONDS), "nothing reached the upstream");
    }

    @Test
    void anUpstreamMayHaveItsOwnTimeout() {
        String token = Keycloak.token("customer1");
        // 4 s is past the default (2 s here): 504 with the edge's error...
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token).get("/api/v1/moderation/slow")
                .then().statusCode(504);
        // ...but within the 12 s that upstream is allowed.
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token).get("/api/v1/queues/slow")
                .then().statusCode(200).body("slow", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void requestsGoToTheirServiceWithTheTokenAndOnlyTheHeadersAnApiNeeds() throws Exception {
        String token = Keycloak.token("customer1");
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token)
                .header("Cookie", "session=browser-secret").header("X-Custom", "x")
                .get("/api/v1/queues/support/conversations?state=QUEUED&limit=5")
                .then().statusCode(200).contentType(containsString("application/json"))
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue())
                .header("X-Internal", org.hamcrest.Matchers.nullValue())
                .header("Content-Security-Policy", containsString("script-src 'self'"));
        Seen seen = SEEN.poll(5, TimeUnit.SECONDS);
        assertEquals("GET", seen.method());
        assertEquals("/api/v1/queues/support/conversations?state=QUEUED&limit=5", seen.uri());
        assertEquals("Bearer " + token, seen.headers().get("Authorization"), "services check the token again");
        assertNull(seen.headers().get("Cookie"), "cookies stay at the edge");
        assertNull(seen.headers().get("X-Custom"));
        assertEquals("127.0.0.1", seen.headers().get("X-Forwarded-For"));
        assertEquals("https", seen.headers().get("X-Forwarded-Proto"));
    }

    @Test
    void thePagesOwnOriginMayUseEveryMethodTheApiHas() throws Exception {
        // Browsers send Origin with a DELETE or PUT even to their own site (the moderator page lifts bans).
        String token = Keycloak.token("customer1");
        for (String method : new String[] {"DELETE", "PUT"}) {
            given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token)
                    .header("Origin", "https://127.0.0.1:8443").contentType("application/json").body("{}")
                    .request(method, "/api/v1/conversations/abc/notes").then().statusCode(200);
            assertEquals(method, SEEN.poll(5, TimeUnit.SECONDS).method(), method + " reached the service");
        }
        // Another site's page may not.
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token)
                .header("Origin", "https://evil.example").delete("/api/v1/conversations/abc/notes")
                .then().statusCode(403);
        assertNull(SEEN.poll(1, TimeUnit.SECONDS), "another site's DELETE never reaches the service");
    }

    @Test
    void bodiesAndStatusesPassThrough() throws Exception {
        String token = Keycloak.token("customer1");
        String body = "{\"note\":\"" + "x".repeat(100_000) + "\"}";
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(body).post("/api/v1/conversations/abc/notes")
                .then().statusCode(200).body("bytes", equalTo(body.length()));
        Seen seen = SEEN.poll(5, TimeUnit.SECONDS);
        assertEquals("POST", seen.method());
        assertEquals(body, seen.body());
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token).get("/api/v1/conversations/missing")
                .then().statusCode(404);
    }

    @Test
    void attachmentSizedBodiesStreamThroughAndLargerOnesAreRefused() throws Exception {
        String token = Keycloak.token("customer1");
        byte[] tenMiB = new byte[10 * 1024 * 1024 + 512 * 1024];
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token).contentType("application/octet-stream")
                .body(tenMiB).post("/api/v1/conversations/abc/upload")
                .then().statusCode(200).body("bytes", equalTo(tenMiB.length));
        assertEquals(tenMiB.length, SEEN.poll(5, TimeUnit.SECONDS).body().length());
        // Over the edge's limit: refused with 413 before the body is read (the client may see
        // the connection closed while it is still sending); nothing reaches the service, and
        // the edge keeps serving.
        byte[] tooBig = new byte[12 * 1024 * 1024];
        try {
            int status = given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token)
                    .contentType("application/octet-stream").body(tooBig).post("/api/v1/conversations/abc/upload")
                    .statusCode();
            assertEquals(413, status);
        } catch (Exception closedWhileSending) {
            assertTrue(String.valueOf(closedWhileSending).contains("Exception"), String.valueOf(closedWhileSending));
        }
        assertNull(SEEN.poll(1, TimeUnit.SECONDS), "the oversized body never reached the service");
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token).get("/api/v1/queues")
                .then().statusCode(200);
    }

    @Test
    void anUnreachableServiceGetsAClearAnswer() {
        String token = Keycloak.token("compliance1");
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token).get("/api/v1/audit/events")
                .then().statusCode(503).body("code", equalTo("internal"))
                .body("message", containsString("audit service is unavailable"))
                .body("message", not(containsString("127.0.0.1")));
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token).get("/api/v1/no-such-thing")
                .then().statusCode(404);
    }
}
