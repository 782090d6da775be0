package io.securechat.transcript.keys;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.prf.PrfSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The key of the blind search index: an HMAC-SHA256 PRF, separate from the KEK (a leak of one
 * does not give the other). A term is PRF(key, "securechat:term:v1:" + word) truncated to 16
 * bytes; the database stores only that, so it can match equal words without holding any word.
 */
public final class BlindIndexKey {

    public static final String TERM_PREFIX = "securechat:term:v1:";
    public static final int TERM_BYTES = 16;

    private final PrfSet prf;

    public BlindIndexKey(Path file, Keysets.Access access) {
        Keysets.init();
        KeysetHandle handle = Keysets.read(file.toAbsolutePath(), Keysets.PRF_TYPE_URL, access);
        try {
            this.prf = handle.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the blind-index keyset " + file + " is unusable: " + e.getMessage(), e);
        }
    }

    /** The index term of one normalized word. */
    public byte[] term(String word) {
        try {
            return prf.computePrimary((TERM_PREFIX + word).getBytes(StandardCharsets.UTF_8), TERM_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("blind-index PRF failed", e);
        }
    }
}
