package io.securechat.gateway.ticket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.securechat.gateway.identity.ChatPrincipal;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One-time tickets in Redis, shared by every gateway node. Only a SHA-256 of the ticket is
 * stored, so a Redis dump does not hand out live tickets; {@code GETDEL} makes redemption
 * single-use even when two nodes race. A ticket stands for the principal it was issued to,
 * including when that principal's token or guest session expires.
 */
@ApplicationScoped
public class TicketStore {

    private static final String PREFIX = "chat:ticket:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ReactiveValueCommands<String, String> values;
    private final ObjectMapper json;
    private final Duration ttl;

    public TicketStore(ReactiveRedisDataSource redis, ObjectMapper json,
            @ConfigProperty(name = "chat.tickets.ttl") Duration ttl) {
        this.values = redis.value(String.class, String.class);
        this.json = json;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    public Uni<String> issue(ChatPrincipal principal) {
        String ticket = randomToken();
        String grant;
        try {
            grant = json.writeValueAsString(principal);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return values.set(PREFIX + digest(ticket), grant, new SetArgs().px(ttl)).replaceWith(ticket);
    }

    /** Redeems a ticket once; null when unknown, expired or already used. */
    public Uni<ChatPrincipal> redeem(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 128) {
            return Uni.createFrom().nullItem();
        }
        return values.getdel(PREFIX + digest(ticket)).map(v -> {
            if (v == null) {
                return null;
            }
            try {
                return json.readValue(v, ChatPrincipal.class);
            } catch (JsonProcessingException e) {
                return null;
            }
        });
    }

    /** 256 random bits, URL-safe. */
    public static String randomToken() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
