package io.securechat.moderation.policy.phishing;

import io.securechat.moderation.policy.text.Chars;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Requests to hand over a secret in the chat: "send me your password", "what is the code we
 * texted you", "confirm your card number and CVV". English only.
 *
 * <p>A sentence is a request when a verb of handing over or telling ({@code send}, {@code give},
 * {@code tell}, {@code share}, {@code read}, {@code provide}, {@code confirm}, {@code reply with},
 * {@code need}, {@code what is}, ...) is followed, within a few words, by a secret that belongs to
 * the reader ({@code your}/{@code the} + password, PIN, one-time, verification or SMS code, the code
 * "we sent", CVV, card number, seed phrase, ...). Verbs of typing ({@code enter}, {@code type},
 * {@code paste}) count only together with "here" or "in this chat": "enter the code on the login
 * page" is advice, not a request.
 *
 * <p>Not a request: a sentence with a negation ("never share your password", "we will never ask
 * for the code", "please don't send us your password"), the sender's own secret ("can I share my
 * password with support?"), the last four digits of a card (a normal identity check), and secrets
 * named as a thing rather than the secret itself ("password reset link", "password rules",
 * "tracking code", "promo code", "postcode"). Agents are judged like everyone else: an agent asking
 * for a secret is exactly what an account takeover looks like, and advice pointing to the official
 * page passes whoever gives it.
 */
public final class CredentialRequests {

    private static final String SECRET = "(?:password|passwd|passphrase|passcode|pass code|pin(?: code| number)?"
            + "|one[- ]time (?:code|password|passcode|pin)|otp|2fa(?: code)?|mfa code|two[- ]factor code"
            + "|(?:verification|security|sms|text|login|log-in|sign-in|reset|confirmation|authentication|authenticator"
            + "|auth|\\d-digit|six-digit|four-digit) code|cvv2?|cvc2?|csc|security number"
            + "|card (?:number|details|info|information|data)|full card|expiry date|expiration date"
            + "|seed phrase|recovery phrase|private key|login details|login credentials|credentials"
            + "|code (?:that )?(?:we|i) (?:just )?(?:sent|texted|text|emailed|e-mailed|sms'?d)"
            + "|code (?:that )?(?:you|you've|you have) (?:just )?(?:got|get|received|receive)"
            + "|code (?:from|in|on) (?:your|the) (?:authenticator|sms|text|e-?mail|phone|app|text message|message)"
            + "|code sent to (?:your|you))";
    /** A secret named as a thing: "the password reset link", "the password rules". */
    private static final String NOT_SECRET = "(?!\\s+(?:reset|rules|policy|requirements?|manager|field|page|link|strength|change|hint)\\b)";

    // Separators and words are disjoint classes matched possessively ([^\\w-] vs [\\w-], \\W vs \\w):
    // a run of dashes or symbols splits one way only, so a hostile text cannot make them backtrack.
    private static final Pattern HAND_OVER = Pattern.compile("\\b(?:send|give|tell|share|text|dm|message|email|e-mail"
            + "|forward|read|provide|submit|reply with|respond with|confirm|verify|need|want|require|let me know"
            + "|what is|what's|whats|what was|what are|what were)\\b"
            + "(?:\\W++\\w++){0,3}?\\W++(?:your|ur|yr|the|that|this|these|those)\\b(?:[^\\w-]++[\\w-]++){0,3}?[^\\w-]++"
            + SECRET + "\\b" + NOT_SECRET);
    private static final Pattern TYPE_HERE = Pattern.compile("\\b(?:enter|type|paste|post|write|put)\\b"
            + "(?:\\W++\\w++){0,2}?\\W++(?:your|ur|the)\\b(?:[^\\w-]++[\\w-]++){0,3}?[^\\w-]++" + SECRET + "\\b" + NOT_SECRET
            + ".{0,200}?\\b(?:here|in (?:this|the) chat|in chat|below|to me|to us)\\b");
    private static final Pattern SECRET_TO_ME = Pattern.compile("\\b(?:your|ur)\\b(?:[^\\w-]++[\\w-]++){0,3}?[^\\w-]++" + SECRET
            + "\\b" + NOT_SECRET + ".{0,200}?\\b(?:to me|to us|with me|with us|in this chat|here in the chat)\\b");
    private static final Pattern NEGATION = Pattern.compile(
            "\\b(?:never|not|no one|nobody|don't|dont|do not|doesn't|won't|will not|wouldn't|shouldn't|should not|must not|cannot|can't)\\b");
    private static final Pattern REASSURANCE = Pattern.compile("\\b(?:don't|do not|dont) (?:worry|panic)\\b");
    private static final Pattern LAST_DIGITS = Pattern.compile("\\blast (?:4|four|two|2) (?:digits|numbers)\\b");
    private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?;])\\s+|\\n+|\\s+(?=but\\b)");

    private CredentialRequests() {}

    public static boolean asks(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        for (String sentence : SENTENCES.split(prepare(text))) {
            if (request(sentence)) {
                return true;
            }
        }
        return false;
    }

    private static boolean request(String sentence) {
        String s = REASSURANCE.matcher(sentence).replaceAll(" ");
        if (NEGATION.matcher(s).find() || LAST_DIGITS.matcher(s).find()) {
            return false;
        }
        return HAND_OVER.matcher(s).find() || TYPE_HERE.matcher(s).find() || SECRET_TO_ME.matcher(s).find();
    }

    /**
     * Lower case, NFKC, invisible characters gone, typographic apostrophes plain, and digits or
     * symbols inside words read as the letters they imitate ({@code passw0rd}, {@code pa$$word}).
     */
    static String prepare(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        StringBuilder visible = new StringBuilder(s.length());
        s.codePoints().filter(cp -> !Chars.ignorable(cp)).forEach(visible::appendCodePoint);
        StringBuilder out = new StringBuilder(visible.length());
        for (String word : visible.toString().split("(?<=\\s)|(?=\\s)")) {
            out.append(leet(word));
        }
        return out.toString();
    }

    /** In a word that has letters and no more digits than letters, 0 1 3 4 5 7 @ $ become o i e a s t a s. */
    private static String leet(String word) {
        long letters = word.chars().filter(Character::isLetter).count();
        long digits = word.chars().filter(c -> "0134579@$".indexOf(c) >= 0).count();
        if (letters < 3 || digits == 0 || digits >= letters) {
            return word;
        }
        StringBuilder out = new StringBuilder(word.length());
        for (char c : word.toCharArray()) {
            out.append(switch (c) {
                case '0' -> 'o';
                case '1' -> 'i';
                case '3' -> 'e';
                case '4', '@' -> 'a';
                case '5', '$' -> 's';
                case '7' -> 't';
                default -> c;
            });
        }
        return out.toString();
    }
}
