package io.securechat.platform.health;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kafka cluster answers. Replaces Quarkus' own Kafka check, whose admin
 * client waits the default 60 s API timeout when the broker is gone: a readiness probe must
 * answer within a few seconds, so this one bounds every call.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    public static final String NAME = "Kafka connection health check";

    private final Map<String, Object> kafkaConfig;
    private final Duration timeout;
    private volatile Admin admin;

    @Inject
    public KafkaReadinessCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "chat.health.kafka-timeout", defaultValue = "PT3S") Duration timeout) {
        this.kafkaConfig = kafkaConfig;
        this.timeout = timeout;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named(NAME);
        try {
            var nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            return builder.up()
                    .withData("nodes", nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(",")))
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return builder.down().withData("reason", "interrupted").build();
        } catch (Exception e) {
            return builder.down().withData("reason", String.valueOf(e.getMessage())).build();
        }
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> conf = new HashMap<>();
                    // Only connection settings: channel-specific keys would make the admin client warn.
                    kafkaConfig.forEach((k, v) -> {
                        if (AdminClientConfig.configNames().contains(k)) {
                            conf.put(k, v);
                        }
                    });
                    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
                    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
                    conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "readiness-check");
                    admin = Admin.create(conf);
                }
                a = admin;
            }
        }
        return a;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
