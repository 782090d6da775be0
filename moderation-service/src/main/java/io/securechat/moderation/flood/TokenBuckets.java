package io.securechat.moderation.flood;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Token buckets in Redis, shared by every gateway node and moderation instance. One Lua script
 * takes a token from each bucket of a message or from none, atomically, so concurrent
 * instances can neither overspend a bucket nor charge one bucket for a message another refused.
 */
@ApplicationScoped
public class TokenBuckets {

    /**
     * KEYS: the buckets (hashes {tokens, at}); ARGV: per bucket, capacity, refill per second and
     * idle expiry in ms. Returns 1 when every bucket gave a token, 0 when one was empty (and then
     * no bucket is charged). Time comes from Redis itself, so instances with skewed clocks agree.
     */
    static final String SCRIPT = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local levels = {}
            local granted = 1
            for i, key in ipairs(KEYS) do
              local capacity = tonumber(ARGV[3 * i - 2])
              local rate = tonumber(ARGV[3 * i - 1])
              local state = redis.call('HMGET', key, 'tokens', 'at')
              local tokens = tonumber(state[1])
              local at = tonumber(state[2])
              if tokens == nil or at == nil then
                tokens = capacity
              elseif now > at then
                tokens = math.min(capacity, tokens + (now - at) * rate / 1000)
              end
              levels[i] = tokens
              if tokens < 1 then granted = 0 end
            end
            for i, key in ipairs(KEYS) do
              local tokens = levels[i]
              if granted == 1 then tokens = tokens - 1 end
              redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
              redis.call('PEXPIRE', key, ARGV[3 * i])
            end
            return granted
            """;

    static final String SHA = sha1(SCRIPT);

    private final ReactiveRedisDataSource redis;

    public TokenBuckets(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** Takes one token from every bucket, or none: true when all of them had one. */
    public Uni<Boolean> take(Map<String, BucketSpec> buckets) {
        List<String> keysAndArgs = new ArrayList<>();
        keysAndArgs.add(Integer.toString(buckets.size()));
        keysAndArgs.addAll(buckets.keySet());
        for (BucketSpec spec : buckets.values()) {
            keysAndArgs.add(Integer.toString(spec.capacity()));
            keysAndArgs.add(Double.toString(spec.refillPerSecond()));
            keysAndArgs.add(Long.toString(spec.idleExpiry().toMillis()));
        }
        return run("EVALSHA", SHA, keysAndArgs)
                // Redis forgets scripts on restart or SCRIPT FLUSH: send the body, which caches it again.
                .onFailure(TokenBuckets::isNoScript).recoverWithUni(() -> run("EVAL", SCRIPT, keysAndArgs))
                .map(response -> response.toInteger() == 1);
    }

    private Uni<Response> run(String command, String script, List<String> keysAndArgs) {
        List<String> args = new ArrayList<>(keysAndArgs.size() + 1);
        args.add(script);
        args.addAll(keysAndArgs);
        return redis.execute(command, args.toArray(String[]::new));
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
