package io.securechat.moderation.policy.sensitive;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * US social security numbers written {@code AAA-GG-SSSS} (dashes or single spaces, the same
 * separator twice), without the numbers the SSA never issues: area {@code 000}, {@code 666} and
 * {@code 9xx} (ITINs and advertising numbers), group {@code 00}, serial {@code 0000}. Nine digits
 * in one run are not matched: too many order and phone numbers look like that.
 */
public final class SsnFinder {

    public static final String KIND = "ssn";
    public static final String DETAIL = "sensitive_data.ssn";

    private static final Pattern SSN = Pattern.compile(
            "(?<![\\p{L}\\p{N}-])(?<!\\d[- ])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\p{L}\\p{N}]|[- ]\\d)");

    private SsnFinder() {}

    public static List<Finding> find(String view) {
        List<Finding> found = new ArrayList<>();
        Matcher m = SSN.matcher(view);
        while (m.find()) {
            if (valid(m.group(1), m.group(3), m.group(4))) {
                found.add(new Finding(KIND, DETAIL, m.start(), m.end()));
            }
        }
        return found;
    }

    static boolean valid(String area, String group, String serial) {
        return !area.equals("000") && !area.equals("666") && area.charAt(0) != '9'
                && !group.equals("00") && !serial.equals("0000");
    }
}
