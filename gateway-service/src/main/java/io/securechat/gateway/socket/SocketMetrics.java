package io.securechat.gateway.socket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway's meters. Tags are bounded: frame types and error codes come from the
 * protocol's fixed lists (anything else is counted as "other"), never from client input.
 */
@ApplicationScoped
public class SocketMetrics {

    static final Set<String> CLIENT_TYPES = Set.of("conversation.start", "conversation.subscribe", "message.send", "typing",
            "read", "conversation.accept", "conversation.transfer", "conversation.close", "agent.status", "user.report",
            "auth.refresh", "ping");

    static final Set<String> SERVER_TYPES = Set.of("session.welcome", "conversation.started", "conversation.queued",
            "conversation.assigned", "conversation.transferred", "conversation.closed", "message.ack", "message.rejected",
            "message", "typing", "read", "error", "session.terminated", "pong");

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer deliveryLatency;

    public SocketMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.deliveryLatency = Timer.builder("chat_gateway_delivery_latency")
                .description("From the gateway receiving a message to a gateway writing it to a recipient's socket")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    public void openSockets(Supplier<Number> count) {
        registry.gauge("chat_gateway_sockets_open", java.util.List.of(), count, s -> s.get().doubleValue());
    }

    public void frameIn(String type) {
        count("chat_gateway_frames_in_total", "type", CLIENT_TYPES.contains(type) ? type : "other");
    }

    public void frameOut(String type) {
        count("chat_gateway_frames_out_total", "type", SERVER_TYPES.contains(type) ? type : "other");
    }

    public void ack() {
        count("chat_gateway_acks_total", null, null);
    }

    public void error(String code) {
        count("chat_gateway_errors_total", "code", code);
    }

    public void rejection(String code) {
        count("chat_gateway_rejections_total", "code", code);
    }

    public void upgradeRefused(String reason) {
        count("chat_gateway_upgrades_refused_total", "reason", reason);
    }

    public void closed(int code) {
        count("chat_gateway_sockets_closed_total", "code", String.valueOf(code));
    }

    public void deliveryLatency(Duration d) {
        if (!d.isNegative()) {
            deliveryLatency.record(d);
        }
    }

    private void count(String name, String tag, String value) {
        String key = tag == null ? name : name + '|' + value;
        counters.computeIfAbsent(key, k -> {
            var b = Counter.builder(name);
            if (tag != null) {
                b.tag(tag, value);
            }
            return b.register(registry);
        }).increment();
    }
}
