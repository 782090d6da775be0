package io.securechat.moderation.scan;

import io.securechat.moderation.pipeline.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test bean: the {@link Violation} events fired while a test runs (reputation observes them the same way). */
@ApplicationScoped
public class ViolationLog {

    private final List<Violation> seen = new CopyOnWriteArrayList<>();

    void on(@ObservesAsync Violation violation) {
        seen.add(violation);
    }

    public List<Violation> seen() {
        return List.copyOf(seen);
    }
}
