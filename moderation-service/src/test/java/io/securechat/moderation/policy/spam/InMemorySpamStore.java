package io.securechat.moderation.policy.spam;

import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spam counters in memory, on a clock the test moves: the semantics of {@link RedisSpamStore}'s
 * script (sliding windows, one member per link named by messageId, runs that expire with their
 * window), for the corpus test. SpamStoreIT checks the two agree.
 */
public final class InMemorySpamStore implements SpamStore {

    private record Run(String hash, long count, Instant at, String messageId) {}

    private final Clock clock;
    private final Map<String, Map<String, Instant>> conversations = new HashMap<>();
    private final Map<String, Map<String, Instant>> links = new HashMap<>();
    private final Map<String, Run> runs = new HashMap<>();

    public InMemorySpamStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Uni<SpamCounts> record(SpamObservation o) {
        Instant now = clock.instant();
        long distinct = 0;
        if (o.crossHash() != null) {
            Map<String, Instant> seen = conversations.computeIfAbsent(o.userId() + ":" + o.crossHash(),
                    k -> new LinkedHashMap<>());
            seen.put(o.conversationId(), now);
            seen.values().removeIf(at -> at.isBefore(now.minus(o.crossWindow())) || at.equals(now.minus(o.crossWindow())));
            distinct = seen.size();
        }
        long linkCount = 0;
        if (o.links() > 0) {
            Map<String, Instant> sent = links.computeIfAbsent(o.userId(), k -> new LinkedHashMap<>());
            for (int i = 1; i <= o.links(); i++) {
                sent.putIfAbsent(o.messageId() + ":" + i, now);
            }
            sent.values().removeIf(at -> !at.isAfter(now.minus(o.linkWindow())));
            linkCount = sent.size();
        }
        String key = o.conversationId() + ":" + o.userId();
        Run last = runs.get(key);
        boolean alive = last != null && now.isBefore(last.at().plus(o.repeatWindow()));
        Run next;
        if (alive && last.messageId().equals(o.messageId())) {
            next = new Run(last.hash(), last.count(), now, o.messageId());
        } else if (alive && last.hash().equals(o.repeatHash())) {
            next = new Run(o.repeatHash(), last.count() + 1, now, o.messageId());
        } else {
            next = new Run(o.repeatHash(), 1, now, o.messageId());
        }
        runs.put(key, next);
        return Uni.createFrom().item(new SpamCounts(distinct, linkCount, next.count()));
    }
}
