package io.securechat.gateway.guest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.securechat.gateway.identity.ChatPrincipal;
import io.securechat.gateway.ticket.TicketStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Guest sessions in Redis, keyed by a SHA-256 of the guest token (never the token itself).
 * The guest token is what a guest shows to get new tickets or to refresh a socket.
 */
@ApplicationScoped
public class GuestSessionStore {

    private static final String PREFIX = "chat:guest:";
    private final ReactiveValueCommands<String, String> values;
    private final ObjectMapper json;

    public GuestSessionStore(ReactiveRedisDataSource redis, ObjectMapper json) {
        this.values = redis.value(String.class, String.class);
        this.json = json;
    }

    public Uni<Void> save(String guestToken, ChatPrincipal guest, Duration ttl) {
        try {
            return values.set(PREFIX + TicketStore.digest(guestToken), json.writeValueAsString(guest), new SetArgs().px(ttl));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** The guest of a token, or null when unknown or expired. */
    public Uni<ChatPrincipal> lookup(String guestToken) {
        if (guestToken == null || guestToken.isEmpty() || guestToken.length() > 128) {
            return Uni.createFrom().nullItem();
        }
        return values.get(PREFIX + TicketStore.digest(guestToken)).map(v -> {
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
}
