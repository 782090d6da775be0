package io.securechat.moderation.policy.spam;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The spam counters in Redis, shared by every moderation instance; one Lua script per message, so
 * the three counters are updated and read in one atomic step. Time comes from Redis itself.
 *
 * <p>Keys (text never stored; the sender's id in the key only): a sorted set per sender and text
 * fingerprint of the conversations it went to ({@code chat:moderation:spam:xconv:<user>:<hash>}),
 * a sorted set per sender of recent links ({@code ...:links:<user>}, one member per link of a
 * message, named by messageId), and a hash per conversation and sender with the last fingerprint,
 * its run length and the last messageId ({@code ...:repeat:<conv>:<user>}). Each expires with its
 * window. A message evaluated twice (a redelivery the verdict memory missed, or a second consumer
 * group on the same topic) is counted once by all three.
 */
@ApplicationScoped
public class RedisSpamStore implements SpamStore {

    static final String PREFIX = "chat:moderation:spam:";

    /**
     * KEYS: xconv set, links set, repeat hash. ARGV: conversationId ('' = skip), cross window ms,
     * messageId, link count, link window ms, repeat fingerprint, repeat window ms.
     * Returns {distinct conversations, links in window, repeats in a row}.
     */
    static final String SCRIPT = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local conversations = 0
            if ARGV[1] ~= '' then
              local window = tonumber(ARGV[2])
              redis.call('ZADD', KEYS[1], now, ARGV[1])
              redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
              conversations = redis.call('ZCARD', KEYS[1])
              redis.call('PEXPIRE', KEYS[1], window)
            end
            local links = 0
            local count = tonumber(ARGV[4])
            if count > 0 then
              local window = tonumber(ARGV[5])
              for i = 1, count do
                redis.call('ZADD', KEYS[2], 'NX', now, ARGV[3] .. ':' .. i)
              end
              redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
              links = redis.call('ZCARD', KEYS[2])
              redis.call('PEXPIRE', KEYS[2], window)
            end
            local state = redis.call('HMGET', KEYS[3], 'h', 'n', 'm')
            local repeats = 1
            if state[3] == ARGV[3] and state[2] then
              repeats = tonumber(state[2])
            elseif state[1] == ARGV[6] and state[2] then
              repeats = tonumber(state[2]) + 1
              redis.call('HSET', KEYS[3], 'n', repeats, 'm', ARGV[3])
            else
              redis.call('HSET', KEYS[3], 'h', ARGV[6], 'n', 1, 'm', ARGV[3])
            end
            redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[7]))
            return {conversations, links, repeats}
            """;

    static final String SHA = sha1(SCRIPT);

    private final ReactiveRedisDataSource redis;

    public RedisSpamStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static String crossKey(String userId, String hash) {
        return PREFIX + "xconv:" + userId + ":" + hash;
    }

    public static String linksKey(String userId) {
        return PREFIX + "links:" + userId;
    }

    public static String repeatKey(String conversationId, String userId) {
        return PREFIX + "repeat:" + conversationId + ":" + userId;
    }

    @Override
    public Uni<SpamCounts> record(SpamObservation o) {
        List<String> keysAndArgs = List.of("3",
                crossKey(o.userId(), o.crossHash() == null ? "-" : o.crossHash()), linksKey(o.userId()),
                repeatKey(o.conversationId(), o.userId()),
                o.crossHash() == null ? "" : o.conversationId(), Long.toString(o.crossWindow().toMillis()),
                o.messageId(), Integer.toString(o.links()), Long.toString(o.linkWindow().toMillis()),
                o.repeatHash(), Long.toString(o.repeatWindow().toMillis()));
        return run("EVALSHA", SHA, keysAndArgs)
                // Redis forgets scripts on restart or SCRIPT FLUSH: send the body, which caches it again.
                .onFailure(RedisSpamStore::isNoScript).recoverWithUni(() -> run("EVAL", SCRIPT, keysAndArgs))
                .map(r -> new SpamCounts(r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong()));
    }

    private Uni<Response> run(String command, String script, List<String> keysAndArgs) {
        String[] args = new String[keysAndArgs.size() + 1];
        args[0] = script;
        for (int i = 0; i < keysAndArgs.size(); i++) {
            args[i + 1] = keysAndArgs.get(i);
        }
        return redis.execute(command, args);
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
