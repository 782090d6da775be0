package io.securechat.moderation.policy.phishing;

import io.securechat.moderation.policy.text.EditDistance;
import io.securechat.moderation.policy.text.Skeleton;
import io.securechat.moderation.policy.text.WordBreak;
import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Judges the host of a link against the protected domains (the company's own) and the blocked ones.
 *
 * <p>A protected domain and its subdomains are fine. Any other host is a look-alike when:
 * <ul>
 * <li>its skeleton ({@link Skeleton}: homoglyphs, digits for letters, {@code rn} for {@code m},
 *     diacritics; {@code xn--} labels decoded first with {@link IDN}) equals the protected
 *     domain's, ends with it, or is within the Damerau-Levenshtein {@link EditDistance#tolerance}
 *     of it ({@code acme.exmaple}, {@code acmee.example});</li>
 * <li>one of its labels, cut at {@code -} and {@code _}, holds the brand (the protected domain
 *     without its suffix): equal to it, within the tolerance, or the brand glued to lure words
 *     ({@code acme-login.com}, {@code acmesupport.net}, {@code acme.example.account-verify.com});</li>
 * <li>a label mixes Latin with Cyrillic or Greek letters, or a {@code xn--} label does not decode;</li>
 * <li>a word of the host imitates another word with digits ({@code examp1e}, {@code paypa1}) and the
 *     link carries a lure word ({@code login}, {@code reset}, {@code verify}, ...): the pattern of
 *     phishing aimed at any brand, the company's or not.</li>
 * </ul>
 */
public final class Domains {

    /** Words phishing hosts and paths pair with a brand (as skeletons when compared). */
    static final List<String> LURES = List.of("login", "logon", "signin", "sign", "secure", "security", "verify",
            "verification", "validate", "account", "accounts", "update", "support", "help", "helpdesk", "billing",
            "payment", "payments", "pay", "wallet", "bank", "banking", "refund", "reset", "password", "auth", "confirm",
            "service", "services", "official", "team", "online", "portal", "customer", "unlock", "recover", "recovery",
            "id", "my", "web", "app", "mail", "center", "care", "shop", "store", "gift", "prize", "claim", "bonus");

    private static final Pattern DIGIT_FOR_LETTER = Pattern.compile("\\p{L}[01345789]+\\p{L}|\\p{L}{3,}[01345789]+$");

    private final List<String> protectedDomains;
    private final List<String> protectedSkeletons;
    private final Set<String> brands;
    private final List<String> blocked;
    private final Set<String> lures;

    public Domains(List<String> protectedDomains, List<String> blockedDomains) {
        this.protectedDomains = protectedDomains.stream().map(Domains::unicode).filter(d -> !d.isEmpty()).toList();
        this.protectedSkeletons = this.protectedDomains.stream().map(Skeleton::of).toList();
        this.blocked = blockedDomains.stream().map(Domains::unicode).filter(d -> !d.isEmpty()).toList();
        Set<String> brandSet = new LinkedHashSet<>();
        for (String domain : this.protectedDomains) {
            for (String label : withoutSuffix(domain)) {
                String skeleton = Skeleton.of(label);
                if (skeleton.length() >= 3) {
                    brandSet.add(skeleton);
                }
            }
        }
        this.brands = Set.copyOf(brandSet);
        Set<String> lureSet = new LinkedHashSet<>();
        LURES.forEach(w -> lureSet.add(Skeleton.of(w)));
        this.lures = Set.copyOf(lureSet);
    }

    /** Lower case, trailing dots dropped, {@code xn--} labels decoded (an undecodable one kept as written). */
    static String unicode(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.startsWith("[")) {
            return h;
        }
        List<String> labels = new ArrayList<>();
        for (String label : h.split("\\.", -1)) {
            labels.add(label.startsWith("xn--") ? decode(label) : label);
        }
        return String.join(".", labels);
    }

    private static String decode(String label) {
        try {
            return IDN.toUnicode(label, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return label;
        }
    }

    public boolean isProtected(String host) {
        String h = unicode(host);
        return protectedDomains.stream().anyMatch(p -> h.equals(p) || h.endsWith("." + p));
    }

    public boolean isBlocked(String host) {
        String h = unicode(host);
        return blocked.stream().anyMatch(b -> h.equals(b) || h.endsWith("." + b));
    }

    /** A look-alike of a protected domain, or a host built to look like a brand (see the class comment). */
    public boolean isLookalike(Link link) {
        String h = unicode(link.host());
        // Longer than DNS allows: no browser resolves it, and the checks below need not read it.
        if (h.startsWith("[") || h.length() > 253 || isProtected(h)) {
            return false;
        }
        String skeleton = Skeleton.of(h);
        for (String p : protectedSkeletons) {
            if (skeleton.equals(p) || skeleton.endsWith("." + p)
                    || EditDistance.between(skeleton, p) <= EditDistance.tolerance(p.length())) {
                return true;
            }
        }
        List<String> labels = List.of(h.split("\\."));
        for (String label : labels) {
            // A label still in punycode after decoding is not valid IDNA: nothing legitimate looks like that.
            if (Skeleton.mixedScript(label) || label.startsWith("xn--")) {
                return true;
            }
        }
        List<String> tokens = tokens(labels.subList(0, Math.max(1, labels.size() - 1)));
        for (String token : tokens) {
            String t = Skeleton.of(token);
            for (String brand : brands) {
                if (t.equals(brand) || (EditDistance.tolerance(brand.length()) > 0
                        && EditDistance.between(t, brand) <= EditDistance.tolerance(brand.length()))
                        || WordBreak.segments(t, Set.of(brand), lures)) {
                    return true;
                }
            }
        }
        return imitatesWithDigits(tokens) && luresIn(tokens, link.path());
    }

    private static List<String> tokens(List<String> labels) {
        List<String> tokens = new ArrayList<>();
        for (String label : labels) {
            for (String token : label.split("[-_]")) {
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        return tokens;
    }

    private static boolean imitatesWithDigits(List<String> tokens) {
        return tokens.stream().anyMatch(t -> DIGIT_FOR_LETTER.matcher(t).find());
    }

    private boolean luresIn(List<String> tokens, String path) {
        for (String token : tokens) {
            if (lures.contains(Skeleton.of(token))) {
                return true;
            }
        }
        for (String word : path.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty() && lures.contains(Skeleton.of(word))) {
                return true;
            }
        }
        return false;
    }

    /** The labels of a protected domain that name the brand: all but its public suffix (guessed). */
    static List<String> withoutSuffix(String domain) {
        List<String> labels = List.of(domain.split("\\."));
        if (labels.size() <= 1) {
            return labels;
        }
        int suffix = 1;
        // co.uk, com.au, org.br: a short second-level under a country code is part of the suffix.
        if (labels.size() >= 3 && labels.getLast().length() == 2 && labels.get(labels.size() - 2).length() <= 3) {
            suffix = 2;
        }
        return labels.subList(0, labels.size() - suffix);
    }

    /**
     * An IP-literal host: IPv6 in brackets, or IPv4 in any form {@code inet_aton} accepts (dotted
     * decimal, octal or hex parts, fewer than four parts, one 32-bit number such as
     * {@code 3405803786} or {@code 0xcb007109}).
     */
    public static boolean isIpLiteral(String host) {
        if (host.startsWith("[")) {
            return host.contains(":");
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return false;
        }
        for (String part : parts) {
            if (!number(part)) {
                return false;
            }
        }
        return true;
    }

    private static boolean number(String part) {
        if (part.isEmpty()) {
            return false;
        }
        String p = part.toLowerCase(Locale.ROOT);
        if (p.startsWith("0x")) {
            return p.length() > 2 && p.length() <= 10 && p.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return p.length() <= 10 && p.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
