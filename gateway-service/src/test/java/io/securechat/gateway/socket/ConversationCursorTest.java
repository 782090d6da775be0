package io.securechat.gateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationCursorTest {

    private static final long T0 = 1_000_000_000L;
    private static final long LATER = T0 + ConversationCursor.HOLD_NANOS + 1;

    private static List<String> offer(ConversationCursor c, long now, long... seqs) {
        List<String> out = new ArrayList<>();
        for (long s : seqs) {
            out.addAll(c.offer(s, "m" + s, now));
        }
        return out;
    }

    @Test
    void aResumingClientGetsTheMissedMessagesBeforeALiveOneThatArrivedFirst() {
        var c = new ConversationCursor(T0);
        assertEquals(List.of(), offer(c, T0, 5), "held until the client says where it is");
        assertEquals(List.of(), c.subscribe(3), "4 is still missing");
        assertEquals(List.of("m4", "m5"), offer(c, T0, 4));
        assertEquals(List.of("m6"), offer(c, T0, 6));
    }

    @Test
    void withoutASubscribeHeldMessagesLeaveInOrderWhenTheHoldEnds() {
        var c = new ConversationCursor(T0);
        assertEquals(List.of(), offer(c, T0, 3, 2));
        assertEquals(List.of("m2", "m3", "m4"), offer(c, LATER, 4));
        assertEquals(List.of(), offer(c, LATER, 3, 4), "repeats are dropped");
        assertEquals(List.of("m5"), offer(c, LATER, 5));
    }

    @Test
    void afterSubscribeLiveMessagesWaitForTheReplayAndLeaveInOrder() {
        var c = new ConversationCursor(T0);
        c.subscribe(3);
        assertEquals(List.of(), offer(c, T0, 6, 7), "4 and 5 are still missing");
        assertEquals(List.of("m4"), offer(c, T0, 4));
        assertEquals(List.of("m5", "m6", "m7"), offer(c, T0, 5));
        assertEquals(List.of(), offer(c, T0, 5, 6, 7), "a redelivered replay is dropped");
        assertEquals(List.of("m8"), offer(c, T0, 8));
    }

    @Test
    void messagesSeenUnorderedBeforeALaterSubscribeAreNotWrittenAgain() {
        var c = new ConversationCursor(T0);
        assertEquals(List.of("m51"), offer(c, LATER, 51));
        c.subscribe(48);
        assertEquals(List.of("m49", "m50", "m52"), offer(c, LATER, 49, 50, 51, 52));
    }

    @Test
    void aSecondSubscribeNeverRewinds() {
        var c = new ConversationCursor(T0);
        c.subscribe(0);
        assertEquals(List.of("m1", "m2"), offer(c, T0, 1, 2));
        assertEquals(List.of(), c.subscribe(0));
        assertEquals(List.of("m3"), offer(c, T0, 1, 2, 3));
    }

    @Test
    void aGapThatNeverClosesOverflows() {
        var c = new ConversationCursor(T0);
        c.subscribe(0);
        List<String> last = null;
        for (int i = 2; i <= ConversationCursor.MAX_HELD + 2; i++) {
            last = c.offer(i, "m" + i, T0);
        }
        assertNull(last);
    }
}
