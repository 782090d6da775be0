package io.securechat.session.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.securechat.session.conversation.model.QueueSnapshot;
import io.securechat.session.conversation.model.QueueSnapshot.Entry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QueueSnapshotTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private static Entry entry(String id, int second) {
        return new Entry(UUID.fromString(id), "cust-" + id.charAt(0), null, T0.plusSeconds(second));
    }

    private static final Entry A = entry("aaaaaaaa-0000-7000-8000-000000000000", 1);
    private static final Entry B = entry("bbbbbbbb-0000-7000-8000-000000000000", 2);
    private static final Entry C = entry("cccccccc-0000-7000-8000-000000000000", 3);

    @Test
    void positionsFollowQueuedTimeStartingAtOne() {
        QueueSnapshot q = new QueueSnapshot("support", List.of(C, A, B));
        assertEquals(1, q.positionOf(A.id()));
        assertEquals(3, q.positionOf(C.id()));
        assertEquals(0, q.positionOf(UUID.randomUUID()));
    }

    @Test
    void whenTheFirstLeavesEveryoneBehindMovesUp() {
        QueueSnapshot before = new QueueSnapshot("support", List.of(A, B, C));
        Map<Entry, Integer> changed = before.without(A.id()).changedSince(before);
        assertEquals(Map.of(B, 1, C, 2), changed);
    }

    @Test
    void whenTheLastLeavesNobodyIsTold() {
        QueueSnapshot before = new QueueSnapshot("support", List.of(A, B, C));
        assertEquals(Map.of(), before.without(C.id()).changedSince(before));
    }

    @Test
    void aNewcomerAtTheEndOnlyLearnsItsOwnPosition() {
        QueueSnapshot before = new QueueSnapshot("support", List.of(A, B));
        assertEquals(Map.of(C, 3), before.with(C).changedSince(before));
    }

    @Test
    void aRequeueAtItsOldPlacePushesTheOthersBack() {
        QueueSnapshot before = new QueueSnapshot("support", List.of(B, C));
        Map<Entry, Integer> changed = before.with(A).changedSince(before);
        assertEquals(Map.of(A, 1, B, 2, C, 3), changed);
    }

    @Test
    void sameQueuedTimeIsOrderedByIdAsTextLikePostgres() {
        // As signed longs this id sorts first; as text (PostgreSQL's uuid order) it sorts last.
        Entry high = new Entry(UUID.fromString("f0000000-0000-7000-8000-000000000000"), "x", null, T0);
        Entry low = new Entry(UUID.fromString("10000000-0000-7000-8000-000000000000"), "y", null, T0);
        QueueSnapshot q = new QueueSnapshot("support", List.of(high, low));
        assertEquals(List.of(low, high), q.entries());
    }
}
