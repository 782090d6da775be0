package io.securechat.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Another service a module's integration tests talk to (transcript-service asks moderation-service
 * to scan uploads; moderation-service reads report evidence from transcript-service). When it is
 * not running on its usual port (./chat test stops the services before the modules' tests), the
 * jar built earlier in the same run is started there for the length of the test JVM, as the
 * platform would run it: same configuration, same consumer groups, the local stack's secrets.
 */
public final class ServiceJars {

    private static final Map<String, Process> STARTED = new ConcurrentHashMap<>();

    private ServiceJars() {}

    /**
     * Ensures MODULE answers ready on 127.0.0.1:PORT, starting its built jar if nothing does.
     *
     * @param env extra environment (its service identity's secret, say)
     */
    public static synchronized void ensureRunning(String module, int port, Map<String, String> env) {
        String base = "http://127.0.0.1:" + port;
        if (STARTED.containsKey(module) || ready(base)) {
            return;
        }
        Path jar = LocalStack.repoDir().resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + module + " at " + base + " and no " + jar
                    + " to start: ./chat up, or build it first (./mvnw package -pl " + module + " -DskipTests)");
        }
        Path log = LocalStack.runDir().resolve("logs/" + module + "-for-tests.log");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("CHAT_RUN_DIR", LocalStack.runDir().toString());
            pb.environment().put("CHAT_HTTP_PORT", String.valueOf(port));
            pb.environment().putAll(env);
            Process p = pb.start();
            STARTED.put(module, p);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                p.destroy();
                try {
                    if (!p.waitFor(20, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            }));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!ready(base)) {
                if (!p.isAlive() || System.nanoTime() > end) {
                    throw new IllegalStateException(module + " started for the tests did not become ready; see " + log);
                }
                Thread.sleep(500);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + module + " for the tests", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean ready(String base) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            return http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
