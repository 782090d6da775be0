package io.securechat.moderation.policy.text;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;

/**
 * Folds text to a "skeleton" in the spirit of Unicode TS #39: two strings that look alike get the
 * same skeleton, so {@code аcme} (Cyrillic а), {@code 4cme}, {@code acrne} and {@code ácme} all
 * become the skeleton of {@code acme}. Compare skeletons with skeletons, never with raw text.
 *
 * <p>A compact table, not the full confusables.txt: the Cyrillic and Greek letters that look like
 * Latin ones, a few Latin look-alikes (dotless i, script l), digits and symbols used for letters
 * ({@code 0 1 3 4 5 7 8 $ @ |}), then the pairs {@code rn -> m} and {@code vv -> w}. {@code i},
 * {@code I}, {@code l} and {@code 1} all become {@code l}. Diacritics are dropped. Steps: NFKC
 * (fullwidth and mathematical letters become plain ones), invisible characters removed, NFD and
 * combining marks removed, the table, lower case, the pairs.
 */
public final class Skeleton {

    private static final Map<Integer, Character> TABLE = new HashMap<>();

    static {
        // Cyrillic
        map("аАɑαΑ", 'a');
        map("вВβΒ", 'b');
        map("сСϲϹ", 'c');
        map("ԁ", 'd');
        map("еЕєεΕ", 'e');
        map("һҺΗ", 'h');
        map("іІӏιΙɩıǀ|ℓ1lI", 'l');
        map("јЈϳ", 'j');
        map("кКκΚ", 'k');
        map("мМΜ", 'm');
        map("пΝ", 'n');
        map("оОοΟσ0", 'o');
        map("рРρΡ", 'p');
        map("ԛ", 'q');
        map("гᴦ", 'r');
        map("ѕЅ$5", 's');
        map("тТτΤ7", 't');
        map("υ", 'u');
        map("ѵνѴ", 'v');
        map("ԝѡωɯ", 'w');
        map("хХχΧ", 'x');
        map("уУγΥү", 'y');
        map("Ζᴢ", 'z');
        map("@4", 'a');
        map("3", 'e');
        map("8", 'b');
        map("ьЬ", 'b');
    }

    private static void map(String lookalikes, char latin) {
        lookalikes.codePoints().forEach(cp -> TABLE.put(cp, latin));
    }

    private Skeleton() {}

    /** The skeleton of {@code text}; digits are folded to the letters they imitate. */
    public static String of(String text) {
        return fold(text, true);
    }

    /** The skeleton without folding digits: for where digits are digits (numbers in a name: "Guest 4821"). */
    public static String lettersOnly(String text) {
        return fold(text, false);
    }

    private static String fold(String text, boolean digits) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder visible = new StringBuilder(s.length());
        s.codePoints().filter(cp -> !Chars.ignorable(cp)).forEach(visible::appendCodePoint);
        String decomposed = Normalizer.normalize(visible, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.NON_SPACING_MARK) {
                return;
            }
            Character latin = (digits || !Character.isDigit(cp)) ? TABLE.get(cp) : null;
            if (latin != null) {
                out.append(latin.charValue());
            } else {
                out.appendCodePoint(Character.toLowerCase(cp));
            }
        });
        String folded = out.toString();
        // After lower-casing: a lower-case i is an l like the others.
        folded = folded.replace('i', 'l');
        return folded.replace("rn", "m").replace("vv", "w");
    }

    /** True when the text mixes Latin letters with Cyrillic or Greek ones: the mark of a homoglyph attack. */
    public static boolean mixedScript(String text) {
        boolean latin = false;
        boolean other = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                continue;
            }
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (script == Character.UnicodeScript.LATIN) {
                latin = true;
            } else if (script == Character.UnicodeScript.CYRILLIC || script == Character.UnicodeScript.GREEK) {
                other = true;
            }
        }
        return latin && other;
    }
}
