package io.securechat.moderation.reputation;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.securechat.moderation.ModerationConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Decaying scores in Redis, one hash {@code {score, at}} per subject
 * ({@code chat:reputation:<USER|GUEST_FINGERPRINT>:<subject>}). One Lua script decays and adds
 * atomically on Redis' clock, so concurrent violations from several instances add up exactly.
 * The key expires after 20 half-lives without a violation (the score is then below a millionth).
 */
@ApplicationScoped
public class ReputationScores {

    static final String PREFIX = "chat:reputation:";

    /** KEYS[1] the hash; ARGV: weight, half-life ms, expiry ms, 1 to write (0: read only). Returns the score as text. */
    static final String SCRIPT = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local state = redis.call('HMGET', KEYS[1], 'score', 'at')
            local score = tonumber(state[1]) or 0
            local at = tonumber(state[2]) or now
            if now > at then score = score * math.pow(2, -(now - at) / tonumber(ARGV[2])) end
            score = score + tonumber(ARGV[1])
            if ARGV[4] == '1' then
              redis.call('HSET', KEYS[1], 'score', tostring(score), 'at', tostring(now))
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
            end
            return tostring(score)
            """;

    private final ReactiveRedisDataSource redis;
    private final Duration halfLife;
    private final Duration timeout;

    public ReputationScores(ReactiveRedisDataSource redis, ReputationConfig config, ModerationConfig moderation) {
        this.redis = redis;
        this.halfLife = config.halfLife();
        this.timeout = moderation.redisTimeout();
    }

    public static String key(String subjectKind, String subject) {
        return PREFIX + subjectKind + ":" + subject;
    }

    /** Adds a violation's weight to the decayed score: the new score. Fails when Redis cannot answer. */
    public Uni<Double> add(String subjectKind, String subject, double weight) {
        return run(subjectKind, subject, weight, true);
    }

    /** The decayed score now (0 for a subject without violations); null when Redis cannot answer. */
    public Uni<Double> current(String subjectKind, String subject) {
        return run(subjectKind, subject, 0, false).onFailure().recoverWithNull();
    }

    private Uni<Double> run(String subjectKind, String subject, double weight, boolean write) {
        return redis.execute("EVAL", SCRIPT, "1", key(subjectKind, subject), Double.toString(weight),
                        Long.toString(halfLife.toMillis()), Long.toString(halfLife.toMillis() * 20), write ? "1" : "0")
                .ifNoItem().after(timeout).fail()
                .map(r -> Double.parseDouble(r.toString()));
    }
}
