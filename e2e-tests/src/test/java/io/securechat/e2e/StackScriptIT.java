package io.securechat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securechat.testsupport.LocalStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack scripts' promises: idempotent start, and one clear line (and nothing left
 * half-started) when a port is taken, no JDK fits, the disk is short or the registry refuses.
 * Failure cases run in a throw-away run folder on other ports, so the real stack is untouched.
 */
@Order(3)
class StackScriptIT {

    record Result(int exitCode, String output) {}

    @TempDir
    Path tmp;

    static Result stack(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", LocalStack.repoDir().resolve("stack/stack.sh").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "stack.sh did not finish");
        return new Result(p.exitValue(), out);
    }

    /** A throw-away run folder and cache on ports nobody uses, so failures touch nothing real. */
    private Map<String, String> isolated() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        // The postgres OS user must be able to reach its data folder inside the temp dir.
        tmp.toFile().setExecutable(true, false);
        run.toFile().setExecutable(true, false);
        return new java.util.HashMap<>(Map.of(
                "CHAT_RUN_DIR", run.toString(),
                "CHAT_CACHE_DIR", Files.createDirectories(tmp.resolve("cache")).toString(),
                "PG_PORT", "25432", "REDIS_PORT", "26379",
                "KAFKA_PORT", "29092", "KAFKA_SSL_PORT", "29094", "KAFKA_CONTROLLER_PORT", "29093"));
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String pids() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String n : List.of("redis", "kafka", "keycloak")) {
            sb.append(n).append('=').append(Files.readString(LocalStack.runDir().resolve("pids/" + n + ".pid")).strip()).append(' ');
        }
        sb.append("postgres=").append(Files.readAllLines(LocalStack.runDir().resolve("postgres/data/postmaster.pid")).get(0));
        return sb.toString();
    }

    @Test
    void startingTwiceStartsNothingTwice() throws Exception {
        String before = pids();
        Result r = stack(Map.of(), "start");
        assertEquals(0, r.exitCode(), r.output());
        for (String c : List.of("postgres already running", "redis already running", "kafka already running",
                "Keycloak is already running")) {
            assertTrue(r.output().contains(c), "expected '" + c + "' in:\n" + r.output());
        }
        assertFalse(r.output().contains("starting "), r.output());
        assertEquals(before, pids(), "no process was replaced");
    }

    @Test
    void aTakenPortIsNamedWithItsHolder() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = isolated();
            env.put("REDIS_PORT", String.valueOf(squatter.getLocalPort()));
            Result r = stack(env, "start", "redis");
            assertNotEquals(0, r.exitCode());
            assertTrue(r.output().contains("port " + squatter.getLocalPort() + " (needed by redis) is already taken by"),
                    r.output());
            assertTrue(r.output().contains("java"), "names the holding process: " + r.output());
        }
    }

    @Test
    void noSuitableJdkSaysWhatIsMissing() throws Exception {
        Map<String, String> env = isolated();
        env.put("CHAT_JDK_SEARCH", tmp.resolve("no-jdks-here").toString());
        env.put("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64");
        env.put("CHAT_JAVA_HOME", "");
        env.put("CHAT_JAVA", "");
        Result r = stack(env, "start", "redis");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output().contains("no JDK 21 or newer found"), r.output());
        assertFalse(listening(26379), "nothing was started");
    }

    @Test
    void tooLittleDiskSaysHowMuch() throws Exception {
        Map<String, String> env = isolated();
        env.put("CHAT_DISK_RESERVE_MB", "1000000000");
        Result r = stack(env, "start", "redis");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output().contains("not enough disk in"), r.output());
        assertFalse(listening(26379));
    }

    @Test
    void aRefusedDownloadLeavesNothingHalfStarted() throws Exception {
        Map<String, String> env = isolated();
        env.put("KAFKA_VERSION", "0.0.1-not-published");
        Result r = stack(env, "start", "postgres", "redis", "kafka");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output().contains("could not fetch org.apache.kafka:kafka_2.13:0.0.1-not-published"), r.output());
        assertTrue(r.output().contains("stopping what this run started (postgres redis)"), r.output());
        assertFalse(listening(25432), "postgres of the failed run was stopped");
        assertFalse(listening(26379), "redis of the failed run was stopped");
    }
}
