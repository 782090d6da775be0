package io.securechat.e2e;

import static io.securechat.e2e.Platform.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.securechat.e2e.Platform.Service;
import io.securechat.testsupport.LocalStack;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Kafka and PostgreSQL go away and come back: every service stays live, reports not-ready
 * while they are gone, and becomes ready again by itself. A service started while they are
 * down does the same. Runs last: it stops the real broker and database of the local stack.
 */
@Order(100)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DependencyOutageIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int FRESH_PORT = 18182;
    private static ServiceProcess fresh;

    @AfterAll
    static void restoreStack() throws Exception {
        if (fresh != null) {
            fresh.close();
        }
        stack("start", "postgres", "kafka");
    }

    @Test
    @Order(1)
    void servicesReportOutageAndRecover() throws Exception {
        stack("stop", "kafka", "postgres");

        for (Service s : Platform.SERVICES) {
            await("readiness of " + s + " down").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> ready(s.baseUrl()).statusCode() == 503);
            JsonPath health = ready(s.baseUrl()).jsonPath();
            assertEquals("DOWN", checkStatus(health, Platform.KAFKA), s + ": Kafka check");
            if (s.readinessChecks().contains(Platform.POSTGRES)) {
                assertEquals("DOWN", checkStatus(health, Platform.POSTGRES), s + ": PostgreSQL check");
            }
            given().get(s.baseUrl() + "/q/health/live").then().statusCode(200);
        }

        // A service that starts while both are down: alive, not ready, and it must not exit.
        fresh = ServiceProcess.start("moderation-service", "moderation-outage-test", "http://127.0.0.1:" + FRESH_PORT,
                Map.of("CHAT_HTTP_PORT", String.valueOf(FRESH_PORT)));
        String freshUrl = "http://127.0.0.1:" + FRESH_PORT;
        await("fresh moderation-service live").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> given().get(freshUrl + "/q/health/live").statusCode() == 200);
        Response r = ready(freshUrl);
        assertEquals(503, r.statusCode(), "fresh instance must not be ready without Kafka and PostgreSQL");
        assertEquals("DOWN", checkStatus(r.jsonPath(), Platform.SCHEMA), "schema cannot be migrated yet");

        stack("start", "postgres", "kafka");

        for (Service s : Platform.SERVICES) {
            await("readiness of " + s + " back").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> ready(s.baseUrl()).statusCode() == 200);
        }
        await("fresh instance ready").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> ready(freshUrl).statusCode() == 200);
        assertEquals("UP", checkStatus(ready(freshUrl).jsonPath(), Platform.SCHEMA));
        assertEquals(true, fresh.isAlive(), "the fresh instance kept running through the outage");
    }

    private static Response ready(String baseUrl) {
        return given().get(baseUrl + "/q/health/ready");
    }

    private static String checkStatus(JsonPath health, String check) {
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream().filter(c -> check.equals(c.get("name"))).map(c -> String.valueOf(c.get("status")))
                .findFirst().orElse("ABSENT");
    }

    static void stack(String... args) throws IOException, InterruptedException {
        Path script = LocalStack.repoDir().resolve("stack/stack.sh");
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(LocalStack.runDir().resolve("logs/e2e-stack.log").toString())))
                .start();
        int rc = p.waitFor();
        assertEquals(0, rc, "stack/stack.sh " + String.join(" ", args) + " failed; see .run/logs/e2e-stack.log");

    }
}
