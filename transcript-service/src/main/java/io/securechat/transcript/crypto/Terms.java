package io.securechat.transcript.crypto;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words of a text as the search index sees them: NFKC, lower case (Locale.ROOT), split on
 * anything that is not a letter or a digit, words shorter than 2 characters dropped, each word
 * once. Messages and queries go through the same function, so "Café", "CAFÉ" and "café" match.
 */
public final class Terms {

    public static final int MIN_LENGTH = 2;

    private Terms() {}

    public static List<String> words(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        Set<String> out = new LinkedHashSet<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
            } else {
                add(out, word);
            }
        }
        add(out, word);
        return List.copyOf(out);
    }

    private static void add(Set<String> out, StringBuilder word) {
        if (word.codePointCount(0, word.length()) >= MIN_LENGTH) {
            out.add(word.toString());
        }
        word.setLength(0);
    }
}
