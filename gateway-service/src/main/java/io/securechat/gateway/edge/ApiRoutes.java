package io.securechat.gateway.edge;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the internal service for an {@code /api/v1/**} path. A pattern matches a path when
 * each of its segments equals the path's segment at that place ({@code *} matches any one
 * segment) and the path has at least as many segments; the pattern with the most segments wins,
 * so the messages of a conversation can be served by another service than the conversation itself.
 */
public final class ApiRoutes {

    public record Target(String upstream, URI base) {}

    private record Rule(String upstream, URI base, String[] segments) {}

    private final List<Rule> rules = new ArrayList<>();

    public ApiRoutes(Map<String, EdgeConfig.Upstream> upstreams) {
        upstreams.forEach((name, u) -> {
            URI base = URI.create(u.url());
            for (String p : u.paths()) {
                rules.add(new Rule(name, base, segments(p)));
            }
        });
        rules.sort(Comparator.comparingInt((Rule r) -> r.segments().length).reversed());
    }

    /** The upstream for a request path (no query), if any; a path with {@code ..} or {@code .} segments never matches. */
    public Optional<Target> route(String path) {
        if (path == null || !path.startsWith("/")) {
            return Optional.empty();
        }
        String[] seg = segments(path);
        for (String s : seg) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.contains("%2f") || s.contains("%2F")
                    || s.contains("%2e") || s.contains("%2E")) {
                return Optional.empty();
            }
        }
        for (Rule r : rules) {
            if (matches(r.segments(), seg)) {
                return Optional.of(new Target(r.upstream(), r.base()));
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String[] pattern, String[] path) {
        if (path.length < pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (!pattern[i].equals("*") && !pattern[i].equals(path[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
