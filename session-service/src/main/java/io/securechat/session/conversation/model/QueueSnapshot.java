package io.securechat.session.conversation.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The conversations waiting in one queue, in queue order. Positions start at 1; the order is
 * by queued time, then by id as text (the order of PostgreSQL's {@code ORDER BY queued_at, id}).
 */
public record QueueSnapshot(String queue, List<Entry> entries) {

    public record Entry(UUID id, String customerId, String clientRef, Instant queuedAt) {}

    public static final Comparator<Entry> ORDER =
            Comparator.comparing(Entry::queuedAt).thenComparing(e -> e.id().toString());

    public QueueSnapshot {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(ORDER);
        entries = List.copyOf(sorted);
    }

    public QueueSnapshot without(UUID id) {
        return new QueueSnapshot(queue, entries.stream().filter(e -> !e.id().equals(id)).toList());
    }

    public QueueSnapshot with(Entry added) {
        List<Entry> all = new ArrayList<>(entries);
        all.add(added);
        return new QueueSnapshot(queue, all);
    }

    /** 1-based position, or 0 when the conversation does not wait here. */
    public int positionOf(UUID id) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).id().equals(id)) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * The waiting conversations whose position differs from {@code before} (new ones included),
     * with their new position, in queue order: exactly the customers to tell.
     */
    public Map<Entry, Integer> changedSince(QueueSnapshot before) {
        Map<UUID, Integer> old = new HashMap<>();
        for (int i = 0; i < before.entries.size(); i++) {
            old.put(before.entries.get(i).id(), i + 1);
        }
        Map<Entry, Integer> changed = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (old.getOrDefault(e.id(), 0) != i + 1) {
                changed.put(e, i + 1);
            }
        }
        return changed;
    }
}
