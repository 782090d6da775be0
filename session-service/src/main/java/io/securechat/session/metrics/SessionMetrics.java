package io.securechat.session.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's meters. Every tag has a small, fixed set of values (queue ids from
 * configuration, protocol codes, frame types, conversation states): never a user or
 * conversation id.
 */
@ApplicationScoped
public class SessionMetrics {

    /** Open states only: closed conversations grow without bound and are counted by {@link #closed}. */
    public static final String[] STATES = {"QUEUED", "ASSIGNED"};

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> conversationsByState = new ConcurrentHashMap<>();

    public SessionMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String state : STATES) {
            AtomicLong value = new AtomicLong();
            conversationsByState.put(state, value);
            Gauge.builder("chat.conversations", value, AtomicLong::get)
                    .description("Conversations by state, counted in PostgreSQL (the same on every instance)")
                    .tag("state", state).register(registry);
        }
    }

    /** How long a conversation waited in its queue until an agent got it. */
    public void queueWait(String queue, Duration waited) {
        Timer.builder("chat.queue.wait").description("Time from queued to assigned").tag("queue", queue)
                .publishPercentileHistogram().register(registry).record(waited);
    }

    public void conversations(String state, long count) {
        AtomicLong value = conversationsByState.get(state);
        if (value != null) {
            value.set(count);
        }
    }

    /** Closings by reason (closed_by_customer, closed_by_agent, closed_by_supervisor, idle). */
    public void closed(String reason) {
        Counter.builder("chat.conversations.closed").description("Conversations closed, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    public void sequenced(String verdict) {
        Counter.builder("chat.messages.sequenced").description("Messages given a seq and published")
                .tag("verdict", verdict).register(registry).increment();
    }

    public void rejected(String code) {
        Counter.builder("chat.messages.rejected").description("Messages not accepted, by protocol code")
                .tag("code", code).register(registry).increment();
    }

    public void delivered(String frameType) {
        Counter.builder("chat.deliveries").description("Delivery records produced to gateway nodes")
                .tag("frame", frameType).register(registry).increment();
    }

    public void skipped(String topic) {
        Counter.builder("chat.records.skipped").description("Unreadable input records skipped")
                .tag("topic", topic).register(registry).increment();
    }
}
