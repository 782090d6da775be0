package io.securechat.session.agent.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Which agent gets the next waiting conversation: among agents with free capacity, the least
 * busy (lowest active/capacity); between equally busy ones, the one idle longest (earliest
 * {@code idleSince}); then by user id, so the choice is deterministic.
 */
public final class AssignmentPolicy {

    /** Compares active/capacity exactly, by cross-multiplying instead of dividing. */
    static final Comparator<AgentLoad> ORDER = ((Comparator<AgentLoad>) (a, b) ->
            Long.compare((long) a.active() * b.capacity(), (long) b.active() * a.capacity()))
            .thenComparing(AgentLoad::idleSince)
            .thenComparing(AgentLoad::userId);

    private AssignmentPolicy() {}

    public static Optional<AgentLoad> choose(Collection<AgentLoad> candidates) {
        return candidates.stream().filter(AgentLoad::hasRoom).min(ORDER);
    }
}
