package io.securechat.session.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.testsupport.Keycloak;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * A demo user of the local Keycloak realm: their access token for the REST API, and the same
 * person as the gateway would describe them in records (userId = {@code sub}, display name from
 * {@code name} or {@code preferred_username}), so a test drives a conversation through Kafka as
 * that user and then reads it back over REST with their token.
 */
public record RealmUser(String username, String role, String userId, String displayName) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static RealmUser of(String username, String role) {
        JsonNode claims = claims(Keycloak.token(username));
        String name = claims.path("name").asText("");
        String displayName = !name.isBlank() ? name : claims.path("preferred_username").asText(username);
        return new RealmUser(username, role, claims.path("sub").asText(), displayName);
    }

    public String token() {
        return Keycloak.token(username);
    }

    public String bearer() {
        return "Bearer " + token();
    }

    /** As the gateway describes this user in a command or message, on a fresh connection of gw-1. */
    public TestUser onGateway() {
        return new TestUser(userId, role, displayName, false, "gw-1", "gw-1:" + UUID.randomUUID());
    }

    private static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("not a JWT", e);
        }
    }
}
