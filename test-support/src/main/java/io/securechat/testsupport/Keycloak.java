package io.securechat.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Logs the demo users of the local realm in (stack/keycloak/README.md) and hands out their
 * access tokens. Staff users answer the TOTP step with the code of their known secret.
 */
public final class Keycloak {

    public static final String PASSWORD = "Chat-Demo-2026!";
    public static final String SERVICE_CLIENT = "chat-service";
    public static final String SERVICE_SECRET = "chat-service-local-secret";
    public static final Set<String> STAFF = Set.of("agent1", "agent2", "supervisor1", "moderator1", "compliance1", "admin1");
    public static final String ADMIN_USER = LocalStack.env("CHAT_KEYCLOAK_ADMIN", "admin");
    public static final String ADMIN_PASSWORD = LocalStack.env("CHAT_KEYCLOAK_ADMIN_PASSWORD", "admin-local-only");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private record Cached(String token, long expiresAtMillis) {}

    private Keycloak() {}

    public static String otpSecret(String user) {
        return "securechat-otp-" + user;
    }

    /** A valid access token for a demo user, reused while it has more than a minute left. */
    public static String token(String user) {
        Cached c = CACHE.get(user);
        if (c != null && c.expiresAtMillis() - System.currentTimeMillis() > 60_000) {
            return c.token();
        }
        JsonNode body = login(user);
        String token = body.get("access_token").asText();
        CACHE.put(user, new Cached(token, System.currentTimeMillis() + body.get("expires_in").asLong() * 1000));
        return token;
    }

    /** A fresh password (+ TOTP) login through the given client; fails the test on refusal. */
    public static JsonNode login(String user) {
        return login(SERVICE_CLIENT, SERVICE_SECRET, user);
    }

    public static JsonNode login(String clientId, String clientSecret, String user) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        form.put("username", user);
        form.put("password", PASSWORD);
        form.put("scope", "openid");
        if (STAFF.contains(user)) {
            form.put("totp", Totp.now(otpSecret(user)));
        }
        HttpResponse<String> r = post(LocalStack.REALM_URL + "/protocol/openid-connect/token", form, null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the login of " + user + " via " + clientId
                    + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return read(r.body());
    }

    /** The gateway's service identity: client credentials of chat-gateway, realm role service. */
    public static final String GATEWAY_CLIENT = "chat-gateway";
    public static final String GATEWAY_SECRET = "chat-gateway-local-secret";

    /** A token of the gateway's service identity (client credentials of chat-gateway; role service). */
    public static String serviceToken() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", GATEWAY_CLIENT);
        form.put("client_secret", GATEWAY_SECRET);
        HttpResponse<String> r = post(LocalStack.REALM_URL + "/protocol/openid-connect/token", form, null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the service login: HTTP " + r.statusCode() + " " + r.body());
        }
        return read(r.body()).get("access_token").asText();
    }

    /** Local secrets of the other service identities (realm role service). */
    public static final String TRANSCRIPT_CLIENT = "chat-transcript";
    public static final String TRANSCRIPT_SECRET = "chat-transcript-local-secret";
    public static final String MODERATION_CLIENT = "chat-moderation";
    public static final String MODERATION_SECRET = "chat-moderation-local-secret";

    /** A client-credentials token of any confidential client of the realm. */
    public static String clientToken(String clientId, String secret) {
        HttpResponse<String> r = post(LocalStack.REALM_URL + "/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret), null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the client login of " + clientId + ": HTTP " + r.statusCode());
        }
        return read(r.body()).get("access_token").asText();
    }

    /** A token of the master realm's bootstrap admin, for the admin REST API. */
    public static String adminToken() {
        HttpResponse<String> r = post(LocalStack.KEYCLOAK_URL + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", ADMIN_USER, "password", ADMIN_PASSWORD),
                null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak admin login failed: HTTP " + r.statusCode());
        }
        return read(r.body()).get("access_token").asText();
    }

    /**
     * Creates (or replaces) a confidential client in realm chat for one test, e.g. without the
     * chat-api audience or with a very short token lifespan. Returns its secret.
     */
    public static String createTestClient(String clientId, boolean chatApiAudience, Integer tokenLifespanSeconds) {
        String admin = adminToken();
        String base = LocalStack.KEYCLOAK_URL + "/admin/realms/chat/clients";
        HttpResponse<String> existing = get(base + "?clientId=" + clientId, admin);
        for (JsonNode c : read(existing.body())) {
            send(HttpRequest.newBuilder(URI.create(base + "/" + c.get("id").asText())).DELETE()
                    .header("Authorization", "Bearer " + admin).build());
        }
        String secret = "secret-" + clientId;
        var client = JSON.createObjectNode();
        client.put("clientId", clientId).put("enabled", true).put("publicClient", false).put("secret", secret)
                .put("standardFlowEnabled", false).put("directAccessGrantsEnabled", true).put("protocol", "openid-connect");
        client.putArray("defaultClientScopes").add("basic").add("roles").add("profile").add("email");
        if (tokenLifespanSeconds != null) {
            client.putObject("attributes").put("access.token.lifespan", String.valueOf(tokenLifespanSeconds));
        }
        if (chatApiAudience) {
            var mapper = client.putArray("protocolMappers").addObject();
            mapper.put("name", "chat-api audience").put("protocol", "openid-connect")
                    .put("protocolMapper", "oidc-audience-mapper");
            mapper.putObject("config").put("included.custom.audience", "chat-api")
                    .put("access.token.claim", "true").put("id.token.claim", "false");
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(client.toString())).build());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("creating client " + clientId + " failed: HTTP " + r.statusCode() + " " + r.body());
        }
        return secret;
    }

    public static void deleteTestClient(String clientId) {
        String admin = adminToken();
        String base = LocalStack.KEYCLOAK_URL + "/admin/realms/chat/clients";
        for (JsonNode c : read(get(base + "?clientId=" + clientId, admin).body())) {
            send(HttpRequest.newBuilder(URI.create(base + "/" + c.get("id").asText())).DELETE()
                    .header("Authorization", "Bearer " + admin).build());
        }
    }

    static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static HttpResponse<String> get(String url, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer).GET().build());
    }

    private static HttpResponse<String> post(String url, Map<String, String> form, String bearer) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak not reachable at " + request.uri() + ": start the stack (./chat stack start)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
