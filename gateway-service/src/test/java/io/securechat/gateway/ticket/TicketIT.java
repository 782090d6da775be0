package io.securechat.gateway.ticket;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.testsupport.ForgedTokens;
import io.securechat.testsupport.Keycloak;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One-time WebSocket tickets, against the real Keycloak and Redis of the local stack. */
@QuarkusTest
class TicketIT {

    @Inject
    TicketStore store;

    @Inject
    RedisDataSource redis;

    @Test
    void ticketIsBoundToTheUserAndWorksOnce() throws Exception {
        String token = Keycloak.token("customer1");
        String subject = ForgedTokens.claimsOf(token).getSubject();
        var body = given().relaxedHTTPSValidation().header("Authorization", "Bearer " + token)
                .post("/api/v1/tickets").then().statusCode(200).extract().jsonPath();
        String ticket = body.getString("ticket");
        assertEquals(30, body.getInt("expiresIn"));
        assertTrue(ticket.length() >= 43, "256 random bits");

        var grant = store.redeem(ticket).await().atMost(Duration.ofSeconds(5));
        assertEquals(subject, grant.userId());
        assertTrue(grant.roles().contains("customer"));
        assertNull(store.redeem(ticket).await().atMost(Duration.ofSeconds(5)), "a ticket works once");
    }

    @Test
    void onlyAHashOfTheTicketIsStoredAndItExpires() {
        String ticket = store.issue(new io.securechat.gateway.identity.ChatPrincipal("someone", java.util.Set.of("customer"), "Someone",
                false, null, java.time.Instant.now().plusSeconds(60))).await().atMost(Duration.ofSeconds(5));
        assertEquals(0, redis.key().keys("chat:ticket:" + ticket).size(), "the raw ticket is never a key");
        String key = "chat:ticket:" + TicketStore.digest(ticket);
        long ttl = redis.key().pttl(key);
        assertTrue(ttl > 0 && ttl <= 30_000, "expires within 30 s, was " + ttl);
        assertTrue(redis.value(String.class).get(key).contains("\"userId\":\"someone\""), "the grant, not the ticket");
    }

    @Test
    void unknownOrOversizedTicketsAreRefused() {
        assertNull(store.redeem("never-issued").await().atMost(Duration.ofSeconds(5)));
        assertNull(store.redeem("x".repeat(500)).await().atMost(Duration.ofSeconds(5)));
        assertNull(store.redeem(null).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void ticketsNeedAToken() {
        given().relaxedHTTPSValidation().post("/api/v1/tickets").then().statusCode(401);
    }
}
