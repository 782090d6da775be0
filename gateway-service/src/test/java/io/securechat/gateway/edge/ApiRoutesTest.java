package io.securechat.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {

    record U(String url, List<String> paths) implements EdgeConfig.Upstream {
        @Override
        public java.util.Optional<java.time.Duration> timeout() {
            return java.util.Optional.empty();
        }
    }

    private final ApiRoutes routes = new ApiRoutes(Map.of(
            "session", new U("http://127.0.0.1:8081", List.of("/api/v1/queues", "/api/v1/conversations")),
            "transcript", new U("http://127.0.0.1:8083", List.of("/api/v1/conversations/*/attachments", "/api/v1/privacy")),
            "audit", new U("http://127.0.0.1:8084", List.of("/api/v1/audit"))));

    private String upstream(String path) {
        return routes.route(path).map(ApiRoutes.Target::upstream).orElse("-");
    }

    @Test
    void prefixesMatchWholeSegments() {
        assertEquals("session", upstream("/api/v1/queues"));
        assertEquals("session", upstream("/api/v1/queues/support/conversations"));
        assertEquals("-", upstream("/api/v1/queuesX"), "a prefix of a segment is not a match");
        assertEquals("audit", upstream("/api/v1/audit/events"));
        assertEquals("-", upstream("/api/v1/tickets"), "the gateway's own endpoints are not routed");
        assertEquals("-", upstream("/api/v1/guest-sessions/tickets"));
    }

    @Test
    void theLongestPatternWinsAndStarsMatchOneSegment() {
        assertEquals("transcript", upstream("/api/v1/conversations/0b9c/attachments"));
        assertEquals("transcript", upstream("/api/v1/conversations/0b9c/attachments/77"));
        assertEquals("session", upstream("/api/v1/conversations/0b9c/messages"));
        assertEquals("session", upstream("/api/v1/conversations/0b9c"));
        assertEquals("http://127.0.0.1:8083", routes.route("/api/v1/privacy/subjects/u/export").orElseThrow().base().toString());
    }

    @Test
    void dotSegmentsAndEncodedSlashesNeverMatch() {
        for (String p : List.of("/api/v1/queues/../tickets", "/api/v1/queues/./x", "/api/v1/queues/a%2F..%2Fb",
                "/api/v1/queues/%2e%2e/x", "/api/v1//queues", "api/v1/queues", "")) {
            assertTrue(routes.route(p).isEmpty(), p);
        }
        assertTrue(routes.route(null).isEmpty());
    }

    @Test
    void logPatternsHideIds() {
        assertEquals("/api/v1/conversations/{id}/messages",
                ApiProxy.routePattern("/api/v1/conversations/0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b/messages"));
        assertEquals("/api/v1/customers/{id}/conversations", ApiProxy.routePattern("/api/v1/customers/guest:abc/conversations"));
    }
}
