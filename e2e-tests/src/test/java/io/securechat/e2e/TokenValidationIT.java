package io.securechat.e2e;

import static io.securechat.e2e.Platform.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import io.securechat.e2e.Platform.Service;
import io.securechat.testsupport.ForgedTokens;
import io.securechat.testsupport.Keycloak;
import java.util.stream.Stream;
import org.jose4j.jwt.MalformedClaimException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every service checks tokens itself: a real Keycloak token is accepted by a protected
 * endpoint of each; a missing, malformed, expired, foreign-signed, unsigned or wrong-audience
 * token gets 401.
 */
@Order(2)
class TokenValidationIT {

    private static final String NO_AUDIENCE_CLIENT = "e2e-no-audience";
    private static final String SHORT_LIVED_CLIENT = "e2e-short-lived";
    private static String wrongAudienceToken;
    private static String expiredToken;

    static Stream<Service> services() {
        return Platform.SERVICES.stream();
    }

    @BeforeAll
    static void tokensFromTestClients() throws Exception {
        String secret = Keycloak.createTestClient(NO_AUDIENCE_CLIENT, false, null);
        wrongAudienceToken = Keycloak.login(NO_AUDIENCE_CLIENT, secret, "customer1").get("access_token").asText();
        assertTrue(ForgedTokens.claimsOf(wrongAudienceToken).getAudience().stream().noneMatch("chat-api"::equals),
                "the test client's token must not carry chat-api");

        secret = Keycloak.createTestClient(SHORT_LIVED_CLIENT, true, 1);
        expiredToken = Keycloak.login(SHORT_LIVED_CLIENT, secret, "customer1").get("access_token").asText();
        long exp = ForgedTokens.claimsOf(expiredToken).getExpirationTime().getValue();
        assertTrue(ForgedTokens.claimsOf(expiredToken).getAudience().contains("chat-api"));
        // Wait until the token is past its expiry (plus a second for clock granularity).
        while (System.currentTimeMillis() / 1000 <= exp + 1) {
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void removeTestClients() {
        Keycloak.deleteTestClient(NO_AUDIENCE_CLIENT);
        Keycloak.deleteTestClient(SHORT_LIVED_CLIENT);
    }

    private static Response call(Service s, String token) {
        var req = given();
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return req.request(s.method(), s.baseUrl() + s.protectedPath());
    }

    @ParameterizedTest(name = "{0} accepts a real token")
    @MethodSource("services")
    void acceptsRealToken(Service s) {
        call(s, Keycloak.token(s.allowedUser())).then().statusCode(200);
    }

    @ParameterizedTest(name = "{0} refuses a role it does not allow with 403")
    @MethodSource("services")
    void refusesWrongRole(Service s) {
        if (s.forbiddenUser() != null) {
            call(s, Keycloak.token(s.forbiddenUser())).then().statusCode(403);
        }
    }

    @ParameterizedTest(name = "{0} refuses a missing token")
    @MethodSource("services")
    void refusesMissingToken(Service s) {
        call(s, null).then().statusCode(401);
    }

    @ParameterizedTest(name = "{0} refuses a malformed token")
    @MethodSource("services")
    void refusesMalformedToken(Service s) {
        call(s, "not-a-jwt").then().statusCode(401);
    }

    @ParameterizedTest(name = "{0} refuses an expired token")
    @MethodSource("services")
    void refusesExpiredToken(Service s) {
        call(s, expiredToken).then().statusCode(401);
    }

    @ParameterizedTest(name = "{0} refuses a token signed with another key")
    @MethodSource("services")
    void refusesForeignSignature(Service s) {
        call(s, ForgedTokens.resignedWithForeignKey(Keycloak.token(s.allowedUser()))).then().statusCode(401);
    }

    @ParameterizedTest(name = "{0} refuses an unsigned token")
    @MethodSource("services")
    void refusesUnsignedToken(Service s) {
        call(s, ForgedTokens.unsigned(Keycloak.token(s.allowedUser()))).then().statusCode(401);
    }

    @ParameterizedTest(name = "{0} refuses a token for another audience")
    @MethodSource("services")
    void refusesWrongAudience(Service s) throws MalformedClaimException {
        assertEquals("customer1", ForgedTokens.claimsOf(wrongAudienceToken).getClaimValueAsString("preferred_username"));
        call(s, wrongAudienceToken).then().statusCode(401);
    }
}
