package io.securechat.transcript.keys;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;

/**
 * Chooses the key provider from {@code chat.transcript.keys.provider} and loads both keys at
 * start-up: a missing, unreadable or too-open key file stops the service with a message that
 * says what to fix, rather than failing on the first message.
 */
@ApplicationScoped
public class KeyProviders {

    @Produces
    @Startup
    @ApplicationScoped
    KeyEncryptionKeys keyEncryptionKeys(KeysConfig config) {
        return switch (config.provider()) {
            case "local" -> new LocalKeyFile(config.kekFile());
            case "kubernetes-secret" -> new SecretKeyFile(secretDir(config));
            default -> throw new IllegalStateException("chat.transcript.keys.provider must be local or kubernetes-secret, not "
                    + config.provider());
        };
    }

    @Produces
    @Startup
    @ApplicationScoped
    BlindIndexKey blindIndexKey(KeysConfig config) {
        return switch (config.provider()) {
            case "kubernetes-secret" -> new BlindIndexKey(secretDir(config).resolve(SecretKeyFile.INDEX_FILE),
                    Keysets.Access.OWNER_AND_GROUP);
            default -> new BlindIndexKey(config.indexFile(), Keysets.Access.OWNER);
        };
    }

    private static Path secretDir(KeysConfig config) {
        return config.secretDir().orElseThrow(() -> new IllegalStateException(
                "chat.transcript.keys.secret-dir must name the mounted Secret directory for the kubernetes-secret provider"));
    }
}
