package io.securechat.moderation.policy.text;

/**
 * A message text prepared for pattern matching, with a way back to the original's indexes.
 *
 * <p>Invisible characters (zero-width spaces and joiners, soft hyphens, bidi controls, variation
 * selectors) are dropped, so {@code 4111\u200b1111...} is seen as the digits it shows; digits of
 * any script ({@code ４}, {@code ٤}, {@code 𝟒}) become ASCII digits, other spaces a plain space,
 * and dashes a plain {@code -}. Every character of the view remembers the span of the original
 * it came from, so a match in the view maps back to UTF-16 indexes of the original text (what
 * redaction spans are), surrogate pairs included.
 */
public final class TextView {

    private final String original;
    private final String view;
    private final int[] from;
    private final int[] to;

    private TextView(String original, String view, int[] from, int[] to) {
        this.original = original;
        this.view = view;
        this.from = from;
        this.to = to;
    }

    public static TextView of(String text) {
        String s = text == null ? "" : text;
        StringBuilder out = new StringBuilder(s.length());
        int[] from = new int[s.length()];
        int[] to = new int[s.length()];
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (!Chars.ignorable(cp)) {
                int digit = Character.digit(cp, 10);
                if (digit >= 0) {
                    add(out, from, to, (char) ('0' + digit), i, next);
                } else if (Chars.space(cp)) {
                    add(out, from, to, ' ', i, next);
                } else if (Chars.dash(cp)) {
                    add(out, from, to, '-', i, next);
                } else {
                    // Kept as is: each UTF-16 unit of a supplementary character maps to the whole character.
                    for (char c : Character.toChars(cp)) {
                        add(out, from, to, c, i, next);
                    }
                }
            }
            i = next;
        }
        int n = out.length();
        return new TextView(s, out.toString(), java.util.Arrays.copyOf(from, n), java.util.Arrays.copyOf(to, n));
    }

    private static void add(StringBuilder out, int[] from, int[] to, char c, int start, int end) {
        from[out.length()] = start;
        to[out.length()] = end;
        out.append(c);
    }

    public String original() {
        return original;
    }

    /** The prepared text the finders match against. */
    public String text() {
        return view;
    }

    /** The original index where view character {@code viewIndex} starts. */
    public int originalStart(int viewIndex) {
        return from[viewIndex];
    }

    /** The original index just past view character {@code viewIndex}. */
    public int originalEnd(int viewIndex) {
        return to[viewIndex];
    }

    /**
     * The original span to mask for a match {@code [start, end)} of the view: all of it but its
     * last four letters or digits (so a reader can still tell which card or account it was). A
     * match of eight letters and digits or fewer (an operator pattern for a PIN, say) is masked
     * whole: its last four would give half of it or all of it away.
     */
    public int[] maskedSpan(int start, int end) {
        int total = 0;
        for (int i = start; i < end; i++) {
            if (Character.isLetterOrDigit(view.charAt(i))) {
                total++;
            }
        }
        if (total <= 8) {
            return new int[] {from[start], to[end - 1]};
        }
        int kept = 0;
        int cut = end;
        for (int i = end - 1; kept < 4; i--) {
            if (Character.isLetterOrDigit(view.charAt(i))) {
                kept++;
                cut = i;
            }
        }
        return new int[] {from[start], from[cut]};
    }
}
