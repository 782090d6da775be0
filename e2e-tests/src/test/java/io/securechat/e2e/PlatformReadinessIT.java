package io.securechat.e2e;

import static io.securechat.e2e.Platform.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.securechat.e2e.Platform.Service;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** All five services are up and each reports its real dependencies as ready. */
@Order(1)
class PlatformReadinessIT {

    static Stream<Service> services() {
        return Platform.SERVICES.stream();
    }

    @ParameterizedTest(name = "{0} is ready with its dependencies")
    @MethodSource("services")
    void readyWithRealDependencies(Service s) {
        given().get(s.baseUrl() + "/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(s.readinessChecks().toArray(String[]::new)))
                .body("checks.findAll { it.status != 'UP' }.size()", equalTo(0));
    }

    @ParameterizedTest(name = "{0} is live")
    @MethodSource("services")
    void live(Service s) {
        given().get(s.baseUrl() + "/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} reports its Kafka consumer lag")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gateway", "session", "moderation"})
    void consumerLag(String name) {
        Service s = Platform.SERVICES.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        given().get(s.baseUrl() + "/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("kafka_consumer_fetch_manager_records_lag_max"));
    }

    @ParameterizedTest(name = "{0} serves Prometheus metrics")
    @MethodSource("services")
    void metrics(Service s) {
        given().get(s.baseUrl() + "/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }
}
