package io.securechat.moderation.policy;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;

/** {@link PolicyConfig} as the service would map it from properties: the real defaults plus {@code overrides}. */
public final class TestConfig {

    private TestConfig() {}

    public static PolicyConfig policies(Map<String, String> overrides) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(PolicyConfig.class)
                .withDefaultValues(overrides)
                .build();
        return config.getConfigMapping(PolicyConfig.class);
    }

    public static PolicyConfig defaults() {
        return policies(Map.of());
    }

    /** The operator settings the corpus assumes (corpus/README.md). */
    public static PolicyConfig corpus() {
        return policies(Map.of(
                "chat.policy.phishing.blocked-domains", "phish.example,free-gift-cards.test,secure-verify.top",
                "chat.policy.sensitive-data.patterns.\"member_id\"", "\\bACM-\\d{4}-\\d{4}-\\d{4}\\b"));
    }
}
