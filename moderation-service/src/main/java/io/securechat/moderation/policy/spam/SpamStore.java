package io.securechat.moderation.policy.spam;

import io.smallrye.mutiny.Uni;

/** Where the spam counters live (Redis in the service, {@code InMemorySpamStore} in the corpus test). */
public interface SpamStore {

    /** Records the message and answers the counters including it. */
    Uni<SpamCounts> record(SpamObservation observation);
}
