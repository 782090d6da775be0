package io.securechat.moderation.policy.sensitive;

import io.securechat.moderation.policy.text.Chars;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IBANs (ISO 13616): a country code of the IBAN registry, two check digits, then exactly that
 * country's length of letters and digits, optionally in groups separated by single spaces, and
 * the mod-97 check. Lower case is accepted (people type it so). The exact length per country keeps
 * invoice references such as {@code DE-2024-000123} or {@code DE2024INV00012345} out; the check
 * digits catch the rest but one in 97.
 */
public final class IbanFinder {

    public static final String KIND = "iban";
    public static final String DETAIL = "sensitive_data.iban";

    /** IBAN length per country (SWIFT IBAN registry). */
    static final Map<String, Integer> LENGTHS = Map.ofEntries(
            Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20), Map.entry("AZ", 28),
            Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("BH", 22), Map.entry("BI", 27),
            Map.entry("BR", 29), Map.entry("BY", 28), Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28),
            Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DJ", 27), Map.entry("DK", 18), Map.entry("DO", 28),
            Map.entry("EE", 20), Map.entry("EG", 29), Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FK", 18),
            Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GE", 22), Map.entry("GI", 23),
            Map.entry("GL", 18), Map.entry("GR", 27), Map.entry("GT", 28), Map.entry("HR", 21), Map.entry("HU", 28),
            Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26), Map.entry("IT", 27),
            Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20), Map.entry("LB", 28), Map.entry("LC", 32),
            Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("LY", 25),
            Map.entry("MC", 27), Map.entry("MD", 24), Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MN", 20),
            Map.entry("MR", 27), Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NI", 28), Map.entry("NL", 18),
            Map.entry("NO", 15), Map.entry("OM", 23), Map.entry("PK", 24), Map.entry("PL", 28), Map.entry("PS", 29),
            Map.entry("PT", 25), Map.entry("QA", 29), Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("RU", 33),
            Map.entry("SA", 24), Map.entry("SC", 31), Map.entry("SD", 18), Map.entry("SE", 24), Map.entry("SI", 19),
            Map.entry("SK", 24), Map.entry("SM", 27), Map.entry("SO", 23), Map.entry("ST", 25), Map.entry("SV", 28),
            Map.entry("TL", 23), Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VA", 22),
            Map.entry("VG", 24), Map.entry("XK", 20), Map.entry("YE", 30));

    private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

    private IbanFinder() {}

    public static List<Finding> find(String view) {
        List<Finding> found = new ArrayList<>();
        int n = view.length();
        int i = 0;
        while (i + 1 < n) {
            char a = view.charAt(i);
            char b = view.charAt(i + 1);
            boolean startsWord = i == 0 || !Character.isLetterOrDigit(view.charAt(i - 1));
            Integer length = startsWord && Chars.asciiLetter(a) && Chars.asciiLetter(b)
                    ? LENGTHS.get(("" + a + b).toUpperCase(Locale.ROOT)) : null;
            int end = length == null ? -1 : match(view, i, length);
            if (end > 0) {
                found.add(new Finding(KIND, DETAIL, i, end));
                i = end;
            } else {
                i++;
            }
        }
        return found;
    }

    /** The end of an IBAN of {@code length} characters starting at {@code start}, or -1. */
    private static int match(String view, int start, int length) {
        StringBuilder iban = new StringBuilder(length);
        int j = start;
        int n = view.length();
        while (iban.length() < length && j < n) {
            char c = view.charAt(j);
            if (Chars.asciiLetter(c) || Chars.asciiDigit(c)) {
                iban.append(Character.toUpperCase(c));
                j++;
            } else if (c == ' ' && iban.length() > 0 && j + 1 < n && isAlnum(view.charAt(j + 1))) {
                j++;
            } else {
                return -1;
            }
        }
        if (iban.length() < length || (j < n && Character.isLetterOrDigit(view.charAt(j)))) {
            return -1;
        }
        return valid(iban.toString()) ? j : -1;
    }

    private static boolean isAlnum(char c) {
        return Chars.asciiLetter(c) || Chars.asciiDigit(c);
    }

    /** A compact upper-case IBAN: known country and length, numeric check digits, mod-97 remainder 1. */
    public static boolean valid(String iban) {
        Integer length = iban.length() >= 4 ? LENGTHS.get(iban.substring(0, 2)) : null;
        if (length == null || length != iban.length()
                || !Chars.asciiDigit(iban.charAt(2)) || !Chars.asciiDigit(iban.charAt(3))) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder digits = new StringBuilder(rearranged.length() * 2);
        for (int k = 0; k < rearranged.length(); k++) {
            char c = rearranged.charAt(k);
            if (Chars.asciiDigit(c)) {
                digits.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                digits.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
    }
}
