package io.securechat.moderation.policy.sensitive;

import io.securechat.moderation.policy.text.Chars;
import java.util.ArrayList;
import java.util.List;

/**
 * Payment card numbers: 13 to 19 digits, Luhn-valid, starting with an issuer digit 2 to 6 (Visa,
 * Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro; the other major industry identifiers
 * are not payment cards), written as one run or in groups separated by single spaces or dashes.
 *
 * <p>A number is read as a maximal run of digit groups. The run counts when it is a card number as a
 * whole; otherwise its leading groups are tried (longest first), so a card followed by its expiry
 * or CVV ({@code 4111 1111 1111 1111 0926 737}) is still found. Nothing inside a group is ever
 * cut: a card never hides in the middle of a longer digit string (a 22-digit parcel number). A run
 * glued to letters ({@code SN4111...}, a product code), to a {@code +} (a phone number) or to a
 * decimal point is not a card.
 */
public final class CardFinder {

    public static final String KIND = "card";
    public static final String DETAIL = "sensitive_data.card";

    private CardFinder() {}

    public static List<Finding> find(String view) {
        List<Finding> found = new ArrayList<>();
        int n = view.length();
        int i = 0;
        while (i < n) {
            if (!Chars.asciiDigit(view.charAt(i))) {
                i++;
                continue;
            }
            // One maximal run: digit groups joined by exactly one space or dash.
            int start = i;
            List<int[]> groups = new ArrayList<>();
            int j = i;
            while (true) {
                int groupStart = j;
                while (j < n && Chars.asciiDigit(view.charAt(j))) {
                    j++;
                }
                groups.add(new int[] {groupStart, j});
                if (j + 1 < n && (view.charAt(j) == ' ' || view.charAt(j) == '-') && Chars.asciiDigit(view.charAt(j + 1))) {
                    j++;
                    continue;
                }
                break;
            }
            int end = j;
            if (standsAlone(view, start, end)) {
                int cut = card(view, groups);
                if (cut > 0) {
                    found.add(new Finding(KIND, DETAIL, start, groups.get(cut - 1)[1]));
                }
            }
            i = end;
        }
        return found;
    }

    /** How many leading groups form a card number (the most that do), or 0. */
    private static int card(String view, List<int[]> groups) {
        StringBuilder digits = new StringBuilder();
        int[] lengthAfter = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            digits.append(view, groups.get(g)[0], groups.get(g)[1]);
            lengthAfter[g] = digits.length();
        }
        for (int g = groups.size() - 1; g >= 0; g--) {
            int length = lengthAfter[g];
            if (length < 13) {
                break;
            }
            if (length <= 19 && valid(digits.substring(0, length))) {
                return g + 1;
            }
        }
        return 0;
    }

    /** 13-19 digits, an issuer digit of 2-6, and the Luhn check. */
    public static boolean valid(String digits) {
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        char first = digits.charAt(0);
        return first >= '2' && first <= '6' && Luhn.valid(digits);
    }

    private static boolean standsAlone(String view, int start, int end) {
        if (start > 0) {
            char before = view.charAt(start - 1);
            if (Character.isLetter(before) || before == '+' || before == '_') {
                return false;
            }
            if ((before == '.' || before == ',') && start > 1 && Chars.asciiDigit(view.charAt(start - 2))) {
                return false;
            }
        }
        if (end < view.length()) {
            char after = view.charAt(end);
            if (Character.isLetter(after) || after == '_') {
                return false;
            }
            if ((after == '.' || after == ',') && end + 1 < view.length() && Chars.asciiDigit(view.charAt(end + 1))) {
                return false;
            }
        }
        return true;
    }
}
