package io.securechat.moderation.policy.text;

import java.util.Set;

/**
 * Can a string be cut, without leftovers, into words of a dictionary, at least one of them a
 * "key" word? {@code acmesupport} into {@code acme|support}, {@code supportteam} into
 * {@code support|team}; {@code adminah} cannot ({@code ah} is no word), nor can
 * {@code agentson}. Used on skeletons: both dictionaries must hold skeletons too.
 */
public final class WordBreak {

    private WordBreak() {}

    public static boolean segments(String s, Set<String> keys, Set<String> fillers) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        int longest = 0;
        for (String w : keys) {
            longest = Math.max(longest, w.length());
        }
        for (String w : fillers) {
            longest = Math.max(longest, w.length());
        }
        // 0: not reachable, 1: reachable with filler words only, 2: reachable with a key word on the way.
        // No word is longer than the longest in the dictionaries: linear in the length, whatever comes in.
        byte[] reach = new byte[n + 1];
        reach[0] = 1;
        for (int i = 0; i < n; i++) {
            if (reach[i] == 0) {
                continue;
            }
            for (int j = i + 1; j <= Math.min(n, i + longest); j++) {
                String word = s.substring(i, j);
                if (keys.contains(word)) {
                    reach[j] = 2;
                } else if (fillers.contains(word) && reach[j] < reach[i]) {
                    reach[j] = reach[i];
                }
            }
        }
        return reach[n] == 2;
    }
}
