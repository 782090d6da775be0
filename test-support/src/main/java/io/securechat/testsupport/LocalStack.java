package io.securechat.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the local stack (stack/stack.sh) keeps its state, and its fixed addresses. */
public final class LocalStack {

    public static final String KEYCLOAK_URL = env("CHAT_KEYCLOAK_URL", "http://127.0.0.1:18080");
    public static final String REALM_URL = KEYCLOAK_URL + "/realms/chat";

    private LocalStack() {}

    /** The stack's runtime folder: -Dchat.run.dir, $CHAT_RUN_DIR, or the nearest ../.run. */
    public static Path runDir() {
        String p = System.getProperty("chat.run.dir", System.getenv("CHAT_RUN_DIR"));
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve(".run"))) {
                return dir.resolve(".run");
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no .run folder found: start the stack with ./chat stack start");
    }

    public static Path repoDir() {
        return runDir().getParent();
    }

    public static Path caCertificate() {
        return runDir().resolve("certs/ca.crt");
    }

    /** A trust store holding only the local CA (hostname verification stays with the client). */
    public static java.security.KeyStore trustStore() {
        try (java.io.InputStream in = Files.newInputStream(caCertificate())) {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("securechat-local-ca",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            return trust;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the local CA at " + caCertificate(), e);
        }
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
