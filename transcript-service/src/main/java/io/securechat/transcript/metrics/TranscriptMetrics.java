package io.securechat.transcript.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/** The service's metrics; tags are from fixed lists only (no user, conversation or key ids). */
@ApplicationScoped
public class TranscriptMetrics {

    public enum StoreOutcome { STORED, DUPLICATE, SKIPPED }

    private final MeterRegistry registry;
    private final Timer store;
    private final Counter integrityFailures;

    public TranscriptMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.store = Timer.builder("chat.transcript.store").description("Time to encrypt and store one message")
                .publishPercentileHistogram().register(registry);
        this.integrityFailures = Counter.builder("chat.transcript.integrity.failures")
                .description("Stored messages or data keys that failed to decrypt when read").register(registry);
        for (StoreOutcome o : StoreOutcome.values()) {
            stored(o, 0);
        }
    }

    public void stored(StoreOutcome outcome) {
        stored(outcome, 1);
    }

    private void stored(StoreOutcome outcome, int n) {
        Counter.builder("chat.transcript.messages").description("chat.messages.v1 records by outcome")
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment(n);
    }

    public Timer.Sample startStore() {
        return Timer.start(registry);
    }

    public void stopStore(Timer.Sample sample) {
        sample.stop(store);
    }

    public void conversationEvent(String outcome) {
        Counter.builder("chat.transcript.conversation.events").description("chat.conversations.v1 records by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    public void integrityFailures(int n) {
        integrityFailures.increment(n);
    }

    /** A history read, by the rule that allowed it ({@code customer}, {@code assigned_agent}, ...). */
    public void read(String basis) {
        Counter.builder("chat.transcript.reads").description("History reads by authorization basis")
                .tag("basis", basis).register(registry).increment();
    }

    public void search(String scope) {
        Counter.builder("chat.transcript.searches").description("Searches by scope").tag("scope", scope)
                .register(registry).increment();
    }

    public void rotation(String outcome) {
        Counter.builder("chat.transcript.key.rotations").description("KEK rotations by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }
}
