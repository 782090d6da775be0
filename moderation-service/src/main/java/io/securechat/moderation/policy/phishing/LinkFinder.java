package io.securechat.moderation.policy.phishing;

import io.securechat.moderation.policy.text.Chars;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds links in a message, including the forms people use to slip them past filters: defanged
 * schemes ({@code hxxp://}, {@code hxxps[:]//}, {@code h t t p s : / /}), defanged dots
 * ({@code [.]}, {@code (.)}, {@code {.}}, {@code [dot]}), spaces around the dot before a known
 * top-level domain ({@code acme-login . com}), invisible characters inside a name, fullwidth
 * letters (NFKC), and bare domains without any scheme ({@code examp1e-login.com/reset}), the
 * domains of e-mail addresses included.
 *
 * <p>A bare name counts as a domain when it ends in a known top-level domain (any two-letter
 * country code, the common generic ones, the reserved {@code example}/{@code test}, or a non-Latin
 * one), or when a path follows it ({@code acme.exarnple/account}): {@code report.pdf} or
 * {@code Thanks.Bye} are not links.
 */
public final class LinkFinder {

    /** Generic top-level domains seen in chat, legitimate or abused; two-letter codes are all accepted. */
    static final Set<String> GENERIC_TLDS = Set.of("com", "net", "org", "info", "biz", "io", "co", "ai", "app",
            "dev", "xyz", "top", "online", "site", "shop", "store", "club", "live", "link", "click", "help", "support",
            "login", "page", "pro", "tech", "space", "website", "fun", "icu", "buzz", "monster", "rest", "cam", "vip",
            "win", "bid", "loan", "work", "party", "review", "stream", "download", "racing", "date", "faith",
            "science", "trade", "accountant", "cricket", "men", "gdn", "kim", "country", "webcam", "zip", "mov",
            "bank", "finance", "money", "cash", "credit", "pay", "services", "service", "secure", "security",
            "account", "email", "mail", "cloud", "host", "network", "digital", "solutions", "company", "center",
            "agency", "business", "global", "world", "today", "news", "blog", "media", "asia", "mobi", "name",
            "jobs", "travel", "edu", "gov", "mil", "int", "aero", "coop", "tel", "post", "example", "test",
            "invalid", "localhost", "local", "onion", "gift", "gifts", "deals", "sale", "free", "verify");

    private static final Pattern IGNORED = Pattern.compile("[\\u00AD\\u200B-\\u200F\\u2060-\\u2064\\uFEFF\\u180E]");
    private static final Pattern HXXP = Pattern.compile("(?i)\\bh(?:xx|\\*\\*|tt|xt|tx)p(s?)(?=\\s*\\[?:)");
    private static final Pattern SPACED_SCHEME = Pattern.compile("(?i)\\bh\\s+t\\s+t\\s+p(\\s*s)?\\s*:\\s*/\\s*/\\s*");
    private static final Pattern DEFANGED_COLON = Pattern.compile("\\[:\\]|\\(:\\)|\\[://\\]");
    private static final Pattern DEFANGED_DOT = Pattern.compile("(?i)\\s?(?:\\[\\.\\]|\\(\\.\\)|\\{\\.\\}|\\[dot\\]|\\(dot\\)|\\{dot\\})\\s?");
    private static final Pattern SPACED_DOT = Pattern.compile(
            "(?i)([\\p{L}\\p{N}][\\p{L}\\p{N}-]{0,62})(?:\\s+\\.\\s*|\\.\\s+)(" + String.join("|", spacedTlds()) + ")(?![\\p{L}\\p{N}])");
    private static final Pattern SCHEME = Pattern.compile("(?i)\\b(?:https?|ftp)://");
    /** At most 30 labels before the TLD: an unbounded repetition recurses per label in java.util.regex (a.a.a.… overflows the stack). */
    private static final Pattern WWW_OR_BARE = Pattern.compile(
            "(?<![\\p{L}\\p{N}_.-])((?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.){1,30}(?:[\\p{L}\\p{N}]{2,24}|xn--[a-z0-9-]{1,59}))(?![\\p{L}\\p{N}_-])");
    private static final Pattern BARE_IPV4 = Pattern.compile(
            "(?<![\\p{L}\\p{N}.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?=[/:]\\S)");

    /** How far an authority or a path is read: enough for any real link, and a 64 KiB "URL" costs no more. */
    private static final int MAX_URL = 2048;

    private LinkFinder() {}

    /** The spaced-dot repair is only done before the common TLDs: {@code home . Then} is not a domain. */
    private static List<String> spacedTlds() {
        return List.of("com", "net", "org", "info", "biz", "io", "co", "xyz", "top", "online", "site", "shop",
                "app", "dev", "link", "click", "ru", "cn", "tk", "ml", "ga", "cf", "gq", "de", "uk", "example", "test");
    }

    /** The text as a browser-minded reader would retype it: invisible characters gone, defanging undone. */
    static String normalize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = IGNORED.matcher(s).replaceAll("");
        s = SPACED_SCHEME.matcher(s).replaceAll(m -> "http" + (m.group(1) == null ? "" : "s") + "://");
        s = HXXP.matcher(s).replaceAll("http$1");
        s = DEFANGED_COLON.matcher(s).replaceAll(m -> m.group().contains("//") ? "://" : ":");
        s = DEFANGED_DOT.matcher(s).replaceAll(".");
        s = SPACED_DOT.matcher(s).replaceAll("$1.$2");
        return s;
    }

    public static List<Link> find(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String s = normalize(text);
        Set<Link> links = new LinkedHashSet<>();
        Matcher scheme = SCHEME.matcher(s);
        while (scheme.find()) {
            Link link = authority(s, scheme.end());
            if (link != null) {
                links.add(link);
            }
        }
        Matcher bare = WWW_OR_BARE.matcher(s);
        while (bare.find()) {
            String host = host(bare.group(1));
            int end = bare.end();
            boolean withPath = end + 1 < s.length() && s.charAt(end) == '/' && !Character.isWhitespace(s.charAt(end + 1));
            // A name with a path reads as a link whatever its last label (acme.exarnple/account).
            if (knownTld(host) || (withPath && tldHasLetter(host))) {
                links.add(new Link(host, end < s.length() && (s.charAt(end) == '/' || s.charAt(end) == ':'), null,
                        path(s, end)));
            }
        }
        Matcher ip = BARE_IPV4.matcher(s);
        while (ip.find()) {
            links.add(new Link(ip.group(1), true, null, path(s, ip.end())));
        }
        return List.copyOf(links);
    }

    /** The link whose authority starts at {@code at} (just past {@code ://}). */
    private static Link authority(String s, int at) {
        int end = at;
        boolean bracket = false;
        int limit = Math.min(s.length(), at + MAX_URL);
        while (end < limit) {
            char c = s.charAt(end);
            if (c == '[') {
                bracket = true;
            } else if (c == ']') {
                bracket = false;
            } else if (!bracket && (c == '/' || c == '?' || c == '#' || c == '\\' || Character.isWhitespace(c)
                    || c == '"' || c == '<' || c == '>')) {
                break;
            }
            end++;
        }
        String authority = s.substring(at, end);
        int atSign = authority.lastIndexOf('@');
        String userinfo = atSign >= 0 ? authority.substring(0, atSign) : null;
        String hostPort = atSign >= 0 ? authority.substring(atSign + 1) : authority;
        String host;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = close > 0 ? hostPort.substring(0, close + 1) : hostPort;
        } else {
            int colon = hostPort.indexOf(':');
            host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
        }
        host = host(trimPunctuation(host));
        return host.isEmpty() ? null : new Link(host, true, userinfo, path(s, end));
    }

    private static String path(String s, int at) {
        int end = at;
        int limit = Math.min(s.length(), at + MAX_URL);
        while (end < limit && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        return s.substring(at, end);
    }

    private static String trimPunctuation(String host) {
        int end = host.length();
        while (end > 0 && ".,;:!?)]}'\"".indexOf(host.charAt(end - 1)) >= 0 && !(host.startsWith("[") && host.charAt(end - 1) == ']')) {
            end--;
        }
        return host.substring(0, end);
    }

    private static String host(String raw) {
        String h = raw.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    private static boolean tldHasLetter(String host) {
        return host.substring(host.lastIndexOf('.') + 1).codePoints().anyMatch(Character::isLetter);
    }

    static boolean knownTld(String host) {
        int dot = host.lastIndexOf('.');
        if (dot < 0) {
            return false;
        }
        String tld = host.substring(dot + 1);
        if (tld.startsWith("xn--")) {
            return true;
        }
        boolean ascii = tld.chars().allMatch(c -> c < 128);
        if (!ascii) {
            // An internationalized TLD (рф, 中国): only letters.
            return tld.codePoints().allMatch(Character::isLetter);
        }
        return (tld.length() == 2 && tld.chars().allMatch(c -> Chars.asciiLetter((char) c))) || GENERIC_TLDS.contains(tld);
    }
}
