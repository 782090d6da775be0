package io.securechat.gateway.socket;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per socket and conversation: which {@code seq} the client has, so every message reaches it
 * once and in order.
 *
 * <p>Before a {@code conversation.subscribe}, live messages pass as they come and repeats are
 * dropped. A subscribe with {@code afterSeq = k} switches to ordered mode: the next seq
 * written is k + 1, later ones wait here until the replay fills the gap (seq is gap-free, so
 * the gap always closes), and those the socket already got live are not written again.
 */
final class ConversationCursor {

    /** Most messages held back while waiting for a replay; past it the socket is out of step. */
    static final int MAX_HELD = 2000;
    /** Seqs remembered from unordered mode, to skip them if a later replay covers them. */
    private static final int RECENT = 256;

    private boolean ordered;
    private long contiguous;
    private long lastSent;
    private final TreeSet<Long> sentAhead = new TreeSet<>();
    private final TreeMap<Long, String> held = new TreeMap<>();

    synchronized void subscribe(long afterSeq) {
        ordered = true;
        contiguous = afterSeq;
        sentAhead.headSet(afterSeq, true).clear();
        held.headMap(afterSeq, true).clear();
    }

    /**
     * Takes a message frame with its seq; returns the frames to write now, in order (empty
     * for a repeat or while a gap is open). Null means the hold-back buffer overflowed.
     */
    synchronized List<String> offer(long seq, String frame) {
        if (!ordered) {
            if (seq <= lastSent || sentAhead.contains(seq)) {
                return List.of();
            }
            lastSent = seq;
            sentAhead.add(seq);
            if (sentAhead.size() > RECENT) {
                sentAhead.pollFirst();
            }
            return List.of(frame);
        }
        if (seq <= contiguous || sentAhead.contains(seq)) {
            return List.of();
        }
        held.put(seq, frame);
        List<String> out = new ArrayList<>();
        while (true) {
            long next = contiguous + 1;
            if (sentAhead.remove(next)) {
                contiguous = next;
            } else if (held.containsKey(next)) {
                out.add(held.remove(next));
                contiguous = next;
            } else {
                break;
            }
        }
        return held.size() > MAX_HELD ? null : out;
    }
}
