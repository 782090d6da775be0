package io.securechat.gateway.socket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per socket and conversation: which {@code seq} the client has, so every message reaches it
 * once and in order.
 *
 * <ul>
 * <li><b>Holding</b> (a new cursor): messages wait up to {@link #HOLD_NANOS} for the client's
 * {@code conversation.subscribe}, because a reconnecting client subscribes right after the
 * welcome and a live message may get here first. Without a subscribe in time, they leave in
 * seq order and the cursor turns unordered.
 * <li><b>Ordered</b> (after a subscribe with {@code afterSeq = k}, or for a conversation this
 * socket started): the next seq written is k + 1; later ones wait until the replay fills the
 * gap (seq is gap-free, so the gap closes), and repeats are dropped.
 * <li><b>Unordered</b>: messages pass as they come; repeats are dropped.
 * </ul>
 */
final class ConversationCursor {

    /** Most messages held back in one conversation; past it the socket is out of step. */
    static final int MAX_HELD = 2000;
    /** Most conversations one socket follows. */
    static final int MAX_PER_SOCKET = 256;
    static final long HOLD_NANOS = 3_000_000_000L;
    /** Seqs remembered from unordered mode, to skip them if a later replay covers them. */
    private static final int RECENT = 256;

    private enum Mode { HOLDING, ORDERED, UNORDERED }

    private Mode mode = Mode.HOLDING;
    private final long holdUntil;
    private long contiguous;
    private long lastSent;
    private final TreeSet<Long> sentAhead = new TreeSet<>();
    private final TreeMap<Long, String> held = new TreeMap<>();

    ConversationCursor(long nowNanos) {
        this.holdUntil = nowNanos + HOLD_NANOS;
    }

    /** The client has everything up to afterSeq; returns frames that can be written now. */
    synchronized List<String> subscribe(long afterSeq) {
        if (mode == Mode.ORDERED) {
            // A second subscribe never rewinds: what this socket got is not written again.
            contiguous = Math.max(contiguous, afterSeq);
        } else {
            if (mode == Mode.UNORDERED) {
                sentAhead.headSet(afterSeq, true).clear();
            } else {
                sentAhead.clear();
            }
            mode = Mode.ORDERED;
            contiguous = afterSeq;
        }
        held.headMap(contiguous, true).clear();
        return flush();
    }

    /**
     * Takes a message frame with its seq; returns the frames to write now, in order (empty
     * for a repeat or while waiting). Null means the hold-back buffer overflowed.
     */
    synchronized List<String> offer(long seq, String frame, long nowNanos) {
        List<String> out = new ArrayList<>(expire(nowNanos));
        switch (mode) {
            case HOLDING -> held.putIfAbsent(seq, frame);
            case UNORDERED -> {
                if (seq > lastSent && !sentAhead.contains(seq)) {
                    sendUnordered(seq);
                    out.add(frame);
                }
            }
            case ORDERED -> {
                if (seq > contiguous && !sentAhead.contains(seq)) {
                    held.putIfAbsent(seq, frame);
                    out.addAll(flush());
                }
            }
        }
        return held.size() > MAX_HELD ? null : out;
    }

    /** Ends a hold whose time is up: held messages leave in seq order. */
    synchronized List<String> expire(long nowNanos) {
        if (mode != Mode.HOLDING || nowNanos - holdUntil < 0) {
            return List.of();
        }
        mode = Mode.UNORDERED;
        List<String> out = new ArrayList<>(held.size());
        for (Map.Entry<Long, String> e : held.entrySet()) {
            sendUnordered(e.getKey());
            out.add(e.getValue());
        }
        held.clear();
        return out;
    }

    private void sendUnordered(long seq) {
        lastSent = Math.max(lastSent, seq);
        sentAhead.add(seq);
        if (sentAhead.size() > RECENT) {
            sentAhead.pollFirst();
        }
    }

    private List<String> flush() {
        List<String> out = new ArrayList<>();
        while (true) {
            long next = contiguous + 1;
            if (sentAhead.remove(next)) {
                contiguous = next;
            } else if (held.containsKey(next)) {
                out.add(held.remove(next));
                contiguous = next;
            } else {
                return out;
            }
        }
    }
}
