package io.securechat.moderation.policy.impersonation;

import io.securechat.moderation.policy.text.Chars;
import io.securechat.moderation.policy.text.Skeleton;
import io.securechat.moderation.policy.text.WordBreak;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Does a display name claim to be staff? Whole words only: a name claims when a run of its words,
 * glued together, reads as staff words and filler words only, with at least one staff word (or a
 * company name) among them.
 *
 * <ul>
 * <li>Claims: {@code Support}, {@code Acme Support Team}, {@code AcmeSupport} and
 *     {@code acmesupport} (one word made of staff words), {@code S u p p o r t} and
 *     {@code Sec-urity} (a word split by spaces or punctuation), {@code Supp0rt}, {@code Αdmin}
 *     (Greek alpha), {@code ＳＵＰＰＯＲＴ} (confusables folded with {@link Skeleton}).</li>
 * <li>Does not: {@code Adminah}, {@code Suppa}, {@code Mary Agentson}, {@code Stafford},
 *     {@code Jo Supporter}: the staff word is only part of a longer word with something that is
 *     neither a staff nor a filler word.</li>
 * </ul>
 * A person whose real name is a staff word ({@code Agent Smith}) is refused too: the rule cannot
 * tell, and the price of a wrong refusal (pick another display name) is lower than that of a
 * customer talking to a fake "Agent".
 */
public final class StaffNames {

    /** Words that do not claim anything alone but may stand beside a staff word in a claim. */
    static final List<String> FILLERS = List.of("team", "official", "the", "real", "help", "desk", "service",
            "services", "center", "centre", "care", "customer", "tech", "technical", "dept", "department", "hq", "crew",
            "live", "online", "24", "7", "247");

    private static final int MAX_RUN = 8;

    private final Set<String> keys;
    private final Set<String> fillers;

    public StaffNames(List<String> staffWords, List<String> companyNames) {
        Set<String> k = new HashSet<>();
        for (String word : staffWords) {
            add(k, word);
        }
        for (String name : companyNames) {
            add(k, name);
        }
        this.keys = Set.copyOf(k);
        Set<String> f = new HashSet<>();
        FILLERS.forEach(w -> add(f, w));
        f.removeAll(this.keys);
        this.fillers = Set.copyOf(f);
    }

    /** A configured word or name as a skeleton, spaces and punctuation removed ("Help desk" -> "helpdesk"). */
    private static void add(Set<String> set, String word) {
        String joined = String.join("", tokens(word));
        if (!joined.isEmpty()) {
            set.add(joined);
        }
    }

    public boolean claimsStaff(String displayName) {
        if (displayName == null || displayName.isBlank()) {
            return false;
        }
        List<String> tokens = tokens(displayName);
        for (int from = 0; from < tokens.size(); from++) {
            StringBuilder run = new StringBuilder();
            for (int to = from; to < tokens.size() && to < from + MAX_RUN; to++) {
                run.append(tokens.get(to));
                if (WordBreak.segments(run.toString(), keys, fillers)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The words of a name as skeletons: NFKC, invisible characters dropped, split at camel case
     * ({@code AcmeSupport}) and at anything but letters, digits and the symbols that stand for
     * letters ({@code $ @ |}). Digits are read as letters only inside a word that has letters, or
     * standing alone as one character ({@code S u p p 0 r t}); {@code Guest 4821} keeps its number.
     */
    static List<String> tokens(String name) {
        String s = Normalizer.normalize(name, Normalizer.Form.NFKC);
        StringBuilder visible = new StringBuilder(s.length());
        s.codePoints().filter(cp -> !Chars.ignorable(cp)).forEach(visible::appendCodePoint);
        String split = visible.toString().replaceAll("(?<=\\p{Ll})(?=\\p{Lu})", " ");
        List<String> out = new ArrayList<>();
        for (String word : split.split("[^\\p{L}\\p{N}$@|]+")) {
            if (word.isEmpty()) {
                continue;
            }
            boolean letters = word.codePoints().anyMatch(Character::isLetter);
            boolean single = word.codePointCount(0, word.length()) == 1;
            out.add(letters || single ? Skeleton.of(word) : Skeleton.lettersOnly(word));
        }
        return out;
    }
}
