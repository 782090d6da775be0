package io.securechat.gateway.identity;

import java.security.SecureRandom;
import java.util.UUID;

/** RFC 9562 version 7 UUIDs: 48-bit Unix milliseconds, then random bits, so ids sort by time. */
public final class UuidV7 {

    private static final SecureRandom RANDOM = new SecureRandom();

    private UuidV7() {}

    public static UUID next() {
        long millis = System.currentTimeMillis();
        long msb = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
        long lsb = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
