package io.securechat.audit.trail;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

/** The trail's metrics; tags are low-cardinality codes only (never ids or actions). */
/** A plain singleton (no client proxy): callers read its meters as fields. */
@Singleton
public class AuditMetrics {

    private final MeterRegistry registry;
    public final Counter appended;
    public final Counter duplicates;
    public final Timer batch;
    public final Counter signed;

    public AuditMetrics(MeterRegistry registry, Trail trail) {
        this.registry = registry;
        appended = Counter.builder("audit_records_appended").description("Events appended to the trail").register(registry);
        duplicates = Counter.builder("audit_events_duplicate")
                .description("Events delivered again and not stored twice (same eventId)").register(registry);
        batch = Timer.builder("audit_append_batch").description("One consumed batch: lock, check the head, insert, commit")
                .register(registry);
        signed = Counter.builder("audit_tree_heads_signed").description("Tree heads signed").register(registry);
        registry.gauge("audit_trail_size", trail, Trail::size);
        registry.gauge("audit_trail_tampered", trail, t -> t.tampered() == null ? 0 : 1);
    }

    public void rejected(String reason) {
        registry.counter("audit_events_rejected", "reason", reason).increment();
    }

    public void integrityFailure(String problem) {
        registry.counter("audit_integrity_failures", "problem", problem).increment();
    }
}
