package io.securechat.gateway.ticket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One-time tickets in Redis, shared by every gateway node. Only a SHA-256 of the ticket is
 * stored, so a Redis dump does not hand out live tickets; {@code GETDEL} makes redemption
 * single-use even when two nodes race.
 */
@ApplicationScoped
public class TicketStore {

    /** What a ticket stands for: the user it was issued to and their roles at that time. */
    public record TicketGrant(String userId, Set<String> roles) {}

    private static final String PREFIX = "chat:ticket:";
    private final SecureRandom random = new SecureRandom();
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

    public Uni<String> issue(String userId, Set<String> roles) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String grant;
        try {
            grant = json.writeValueAsString(new TicketGrant(userId, new TreeSet<>(roles)));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return values.set(PREFIX + digest(ticket), grant, new SetArgs().px(ttl)).replaceWith(ticket);
    }

    /** Redeems a ticket once; null when unknown, expired or already used. */
    public Uni<TicketGrant> redeem(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 128) {
            return Uni.createFrom().nullItem();
        }
        return values.getdel(PREFIX + digest(ticket)).map(v -> {
            if (v == null) {
                return null;
            }
            try {
                return json.readValue(v, TicketGrant.class);
            } catch (JsonProcessingException e) {
                return null;
            }
        });
    }

    static String digest(String ticket) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
