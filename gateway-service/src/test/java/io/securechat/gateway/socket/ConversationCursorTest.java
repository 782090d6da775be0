package io.securechat.gateway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationCursorTest {

    private static List<String> all(ConversationCursor c, long... seqs) {
        List<String> out = new ArrayList<>();
        for (long s : seqs) {
            out.addAll(c.offer(s, "m" + s));
        }
        return out;
    }

    @Test
    void liveMessagesPassAndRepeatsAreDropped() {
        var c = new ConversationCursor();
        assertEquals(List.of("m1", "m2", "m3"), all(c, 1, 2, 2, 1, 3, 3));
    }

    @Test
    void afterSubscribeLiveMessagesWaitForTheReplayAndLeaveInOrder() {
        var c = new ConversationCursor();
        c.subscribe(3);
        assertEquals(List.of(), all(c, 6, 7), "4 and 5 are still missing");
        assertEquals(List.of("m4"), all(c, 4));
        assertEquals(List.of("m5", "m6", "m7"), all(c, 5));
        assertEquals(List.of(), all(c, 5, 6, 7), "a redelivered replay is dropped");
        assertEquals(List.of("m8"), all(c, 8));
    }

    @Test
    void messagesSeenLiveBeforeTheSubscribeAreNotWrittenAgain() {
        var c = new ConversationCursor();
        assertEquals(List.of("m51"), all(c, 51));
        c.subscribe(48);
        assertEquals(List.of("m49", "m50", "m52"), all(c, 49, 50, 51, 52));
    }

    @Test
    void aGapThatNeverClosesOverflows() {
        var c = new ConversationCursor();
        c.subscribe(0);
        List<String> last = null;
        for (int i = 2; i <= ConversationCursor.MAX_HELD + 2; i++) {
            last = c.offer(i, "m" + i);
        }
        assertNull(last);
    }
}
