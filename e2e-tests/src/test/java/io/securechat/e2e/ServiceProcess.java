package io.securechat.e2e;

import static io.securechat.e2e.Platform.given;
import static org.awaitility.Awaitility.await;

import io.securechat.testsupport.LocalStack;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * An extra instance of a service that a test starts from the built jar and may kill (the
 * five instances of ./chat are left alone): a second gateway node, a second session-service,
 * or an instance started while a dependency is down.
 */
final class ServiceProcess implements AutoCloseable {

    final String baseUrl;
    private final Process process;

    private ServiceProcess(String baseUrl, Process process) {
        this.baseUrl = baseUrl;
        this.process = process;
    }

    /** Starts MODULE with the environment given; logs go to .run/logs/LOGNAME.log. */
    static ServiceProcess start(String module, String logName, String baseUrl, Map<String, String> env) throws IOException {
        Path jar = LocalStack.repoDir().resolve(module + "/target/quarkus-app/quarkus-run.jar");
        Path log = LocalStack.runDir().resolve("logs/" + logName + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CHAT_RUN_DIR", LocalStack.runDir().toString());
        pb.environment().putAll(env);
        return new ServiceProcess(baseUrl, pb.start());
    }

    static ServiceProcess gateway(String nodeId, int port) throws IOException {
        return start("gateway-service", "gateway-" + nodeId, "https://127.0.0.1:" + port,
                Map.of("CHAT_NODE_ID", nodeId, "CHAT_HTTPS_PORT", String.valueOf(port),
                        "CHAT_FINGERPRINT_KEY", "local-only-fingerprint-key",
                        "CHAT_GATEWAY_CLIENT_SECRET", "chat-gateway-local-secret"));
    }

    static ServiceProcess session(String name, int port) throws IOException {
        return start("session-service", name, "http://127.0.0.1:" + port, Map.of("CHAT_HTTP_PORT", String.valueOf(port)));
    }

    ServiceProcess awaitReady(Duration patience) {
        await(baseUrl + " ready").atMost(patience).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(baseUrl + " exited with " + process.exitValue());
                    }
                    return given().get(baseUrl + "/q/health/ready").statusCode() == 200;
                });
        return this;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no goodbye to clients. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
