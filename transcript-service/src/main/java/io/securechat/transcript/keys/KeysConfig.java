package io.securechat.transcript.keys;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Where the key-encryption key and the blind-index key come from (README, "Keys"). */
@ConfigMapping(prefix = "chat.transcript.keys")
public interface KeysConfig {

    /** {@code local} (a keyset file this service may rotate) or {@code kubernetes-secret} (read-only mount). */
    @WithDefault("local")
    String provider();

    /** local: the Tink JSON keyset of the key-encryption key (AES256_GCM, mode 0600). */
    Path kekFile();

    /** local: the Tink JSON keyset of the blind-index key (HMAC-SHA256 PRF). */
    Path indexFile();

    /** kubernetes-secret: the mounted Secret directory holding {@code kek.json} and {@code index.json}. */
    Optional<Path> secretDir();

    /** Unwrapped data keys kept in memory. */
    @WithDefault("10000")
    int cacheSize();

    /** An unused unwrapped data key leaves the cache after this. */
    @WithDefault("PT10M")
    java.time.Duration cacheExpiry();

    /** Conversation keys re-wrapped per transaction during a rotation. */
    @WithDefault("200")
    int rewrapBatch();
}
