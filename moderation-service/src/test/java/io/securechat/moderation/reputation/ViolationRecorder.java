package io.securechat.moderation.reputation;

import io.securechat.moderation.pipeline.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test bean: every Violation fired in this instance, to check who fires what. */
@ApplicationScoped
public class ViolationRecorder {

    private final List<Violation> seen = new CopyOnWriteArrayList<>();

    void on(@ObservesAsync Violation v) {
        seen.add(v);
    }

    public List<Violation> of(String userId) {
        return seen.stream().filter(v -> userId.equals(v.userId())).toList();
    }
}
