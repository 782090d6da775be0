package io.securechat.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Undoes what a test's deliberate violations did to a shared demo user: moderation-service's
 * reputation counts every blocked message and malicious upload, so a test that sends malware or
 * phishing as {@code customer1} would otherwise leave customer1 muted or banned for the tests
 * after it. Lifts the user's active bans and mutes through the moderator API (audited like any
 * lift) and clears the reputation score and action locks in Redis.
 */
public final class Reputations {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODERATION = LocalStack.env("CHAT_MODERATION_URL", "http://127.0.0.1:8082");
    private static final String REDIS_PORT = LocalStack.env("CHAT_REDIS_PORT", "16379");
    private static final String REDIS_PASSWORD = LocalStack.env("CHAT_REDIS_PASSWORD", "redis-local-only");

    private Reputations() {}

    /** Lifts the demo user's bans and mutes and resets their score; returns how many were lifted. */
    public static int forgiveDemoUser(String username) {
        String token = Keycloak.token(username);
        try {
            return forgive(ForgedTokens.claimsOf(token).getSubject());
        } catch (org.jose4j.jwt.MalformedClaimException e) {
            throw new IllegalStateException("no subject in " + username + "'s token", e);
        }
    }

    /** Lifts the user id's active bans and mutes and resets its score; returns how many were lifted. */
    public static int forgive(String userId) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String auth = "Bearer " + Keycloak.token("moderator1");
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(MODERATION
                    + "/api/v1/moderation/bans?kind=ALL&subjectKind=USER&subject=" + URLEncoder.encode(userId, StandardCharsets.UTF_8)))
                    .header("Authorization", auth).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (list.statusCode() != 200) {
                throw new IllegalStateException("listing bans of " + userId + ": HTTP " + list.statusCode());
            }
            int lifted = 0;
            for (JsonNode ban : JSON.readTree(list.body())) {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(MODERATION + "/api/v1/moderation/bans/"
                        + ban.get("id").asText() + "?reason=test_cleanup")).DELETE().header("Authorization", auth)
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 204) {
                    lifted++;
                }
            }
            List<String> keys = new ArrayList<>(List.of("chat:reputation:USER:" + userId));
            for (String kind : List.of("BAN", "MUTE")) {
                keys.add("chat:reputation:acted:" + kind + ":USER:" + userId);
            }
            List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", REDIS_PORT, "--no-auth-warning", "-a", REDIS_PASSWORD, "DEL"));
            cmd.addAll(keys);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 || !out.matches("\\d+")) {
                throw new IllegalStateException("redis-cli DEL failed: " + out);
            }
            return lifted;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not reset the reputation of " + userId, e);
        }
    }
}
