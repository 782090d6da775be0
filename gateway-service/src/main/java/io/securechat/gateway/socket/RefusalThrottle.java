package io.securechat.gateway.socket;

import io.securechat.gateway.identity.ChatPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a flood of refused upgrades (bad, forged or expired tokens, made-up tickets, a banned
 * client retrying) from flooding the audit trail: per reason, source IP hash and user (when one
 * is known), the first refusal of a window is audited at once; the ones after it in the same
 * window are only counted, and {@link #expired} hands back one summary per window that counted
 * any. Memory is bounded: past {@code maxKeys} open windows, new sources share one overflow
 * window per reason (IP hash {@value #OVERFLOW}).
 */
final class RefusalThrottle {

    static final String OVERFLOW = "overflow";

    /** A window that suppressed refusals: what the summary record says. */
    record Summary(String reason, int status, String ipHash, ChatPrincipal who, Instant windowStart, long suppressed) {}

    private static final class Window {
        final String reason;
        final int status;
        final String ipHash;
        final ChatPrincipal who;
        final Instant start;
        long suppressed;

        Window(String reason, int status, String ipHash, ChatPrincipal who, Instant start) {
            this.reason = reason;
            this.status = status;
            this.ipHash = ipHash;
            this.who = who;
            this.start = start;
        }
    }

    private final Duration window;
    private final int maxKeys;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RefusalThrottle(Duration window, int maxKeys) {
        this.window = window;
        this.maxKeys = maxKeys;
    }

    Duration window() {
        return window;
    }

    /**
     * Counts one refusal. True when it is the first of its window (audit it now); false when it
     * was counted into an open window (it comes back in that window's summary).
     *
     * @param who the principal when one is known (too many sockets, banned), else null
     */
    boolean first(String reason, int status, String ipHash, ChatPrincipal who, Instant now) {
        String source = ipHash == null ? "-" : ipHash;
        String key = reason + "|" + source + "|" + (who == null ? "-" : who.userId());
        if (!windows.containsKey(key) && windows.size() >= maxKeys) {
            source = OVERFLOW;
            key = reason + "|" + OVERFLOW + "|-";
        }
        boolean[] opened = {false};
        String src = source;
        windows.compute(key, (k, w) -> {
            if (w == null) {
                opened[0] = true;
                // The overflow window speaks for many sources: no one principal is its actor.
                return new Window(reason, status, src, OVERFLOW.equals(src) ? null : who, now);
            }
            w.suppressed++;
            return w;
        });
        return opened[0];
    }

    /**
     * Closes every window older than the window length and returns those that suppressed
     * refusals (one summary each); windows that suppressed none close silently.
     */
    List<Summary> expired(Instant now) {
        List<Summary> out = new ArrayList<>();
        Instant cutoff = now.minus(window);
        for (String key : List.copyOf(windows.keySet())) {
            windows.computeIfPresent(key, (k, w) -> {
                if (w.start.isAfter(cutoff)) {
                    return w;
                }
                if (w.suppressed > 0) {
                    out.add(new Summary(w.reason, w.status, w.ipHash, w.who, w.start, w.suppressed));
                }
                return null;
            });
        }
        return out;
    }

    int openWindows() {
        return windows.size();
    }
}
