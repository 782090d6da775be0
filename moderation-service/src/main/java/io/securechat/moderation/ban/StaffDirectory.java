package io.securechat.moderation.ban;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.securechat.moderation.ModerationConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which user ids are staff, as far as moderation-service can know cheaply: every inbound message
 * carries its sender's roles, so a user seen sending with role agent, supervisor, moderator or
 * admin is remembered as staff in Redis ({@code chat:moderation:staff:<userId>}, for
 * {@code chat.bans.staff-memory}). Moderators may not ban or mute them (admins may: a compromised
 * staff account), nor may reputation. Staff who never sent a message are not known; Redis down
 * means "not known" (the ban goes through): this is a guard against mistakes, not a boundary.
 */
@ApplicationScoped
public class StaffDirectory {

    static final Set<String> STAFF_ROLES = Set.of("agent", "supervisor", "moderator", "admin");
    static final String PREFIX = "chat:moderation:staff:";

    private final ReactiveValueCommands<String, String> values;
    private final Duration memory;
    private final Duration timeout;
    /** When each staff id was last written: one Redis write per user per hour, not per message. */
    private final ConcurrentHashMap<String, Long> written = new ConcurrentHashMap<>();

    public StaffDirectory(ReactiveRedisDataSource redis, BansConfig config, ModerationConfig moderation) {
        this.values = redis.value(String.class, String.class);
        this.memory = config.staffMemory();
        this.timeout = moderation.redisTimeout();
    }

    public static boolean isStaff(List<String> roles) {
        return roles.stream().anyMatch(STAFF_ROLES::contains);
    }

    /** Notes a sender's staff roles; fire and forget (never fails, never waits for long). */
    public Uni<Void> saw(String userId, List<String> roles) {
        if (userId == null || !isStaff(roles)) {
            return Uni.createFrom().voidItem();
        }
        long now = System.currentTimeMillis();
        Long last = written.get(userId);
        if (last != null && now - last < 3_600_000L) {
            return Uni.createFrom().voidItem();
        }
        if (written.size() > 10_000) {
            written.clear();
        }
        written.put(userId, now);
        String value = String.join(",", roles.stream().filter(STAFF_ROLES::contains).sorted().toList());
        return values.set(PREFIX + userId, value, new SetArgs().px(memory))
                .ifNoItem().after(timeout).fail()
                .onFailure().invoke(() -> written.remove(userId))
                .onFailure().recoverWithNull();
    }

    /** Whether the user id is known as staff; false when unknown or Redis cannot tell. */
    public Uni<Boolean> known(String userId) {
        return values.get(PREFIX + userId)
                .ifNoItem().after(timeout).fail()
                .map(v -> v != null)
                .onFailure().recoverWithItem(false);
    }
}
