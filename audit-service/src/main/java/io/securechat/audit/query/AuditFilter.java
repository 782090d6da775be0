package io.securechat.audit.query;

import io.securechat.platform.api.ApiError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compliance API's filters: actor (user id), action (exact, or a prefix as {@code moderation.*}),
 * resource ({@code type} or {@code type:id}), and a range of occurredAt [from, to). Rendered as a
 * parameterised WHERE clause; values never enter the SQL text.
 */
public record AuditFilter(String actor, String action, String resourceType, String resourceId, Instant from, Instant to) {

    private static final int MAX = 200;

    public static AuditFilter of(String actor, String action, String resource, String from, String to) {
        String type = null;
        String id = null;
        if (present(resource)) {
            int colon = resource.indexOf(':');
            type = colon < 0 ? resource.trim() : resource.substring(0, colon).trim();
            id = colon < 0 ? null : resource.substring(colon + 1).trim();
            if (type.isEmpty()) {
                throw new ApiError.BadRequest("resource must be TYPE or TYPE:ID");
            }
        }
        if (present(action) && !action.trim().matches("[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?")) {
            throw new ApiError.BadRequest("action must be an action name such as message.rejected, or a prefix such as moderation.*");
        }
        AuditFilter f = new AuditFilter(clean(actor, "actor"), present(action) ? action.trim() : null, clean(type, "resource"),
                clean(id, "resource"), instant(from, "from"), instant(to, "to"));
        if (f.from != null && f.to != null && !f.from.isBefore(f.to)) {
            throw new ApiError.BadRequest("from must be before to");
        }
        return f;
    }

    public boolean empty() {
        return actor == null && action == null && resourceType == null && from == null && to == null;
    }

    /** The filters as given, for the audit record of the query and the export header. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        if (actor != null) m.put("actor", actor);
        if (action != null) m.put("action", action);
        if (resourceType != null) m.put("resource", resourceId == null ? resourceType : resourceType + ":" + resourceId);
        if (from != null) m.put("from", from.toString());
        if (to != null) m.put("to", to.toString());
        return m;
    }

    /** Conditions joined with AND (or "TRUE"), appending their values to {@code args} from $start. */
    public String where(List<Object> args) {
        List<String> c = new ArrayList<>();
        if (actor != null) {
            args.add(actor);
            c.add("actor_id = $" + args.size());
        }
        if (action != null) {
            if (action.endsWith(".*")) {
                String prefix = action.substring(0, action.length() - 1).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
                args.add(prefix + "%");
                c.add("action LIKE $" + args.size());
            } else {
                args.add(action);
                c.add("action = $" + args.size());
            }
        }
        if (resourceType != null) {
            args.add(resourceType);
            c.add("resource_type = $" + args.size());
            if (resourceId != null) {
                args.add(resourceId);
                c.add("resource_id = $" + args.size());
            }
        }
        if (from != null) {
            args.add(from.atOffset(java.time.ZoneOffset.UTC));
            c.add("occurred_at >= $" + args.size());
        }
        if (to != null) {
            args.add(to.atOffset(java.time.ZoneOffset.UTC));
            c.add("occurred_at < $" + args.size());
        }
        return c.isEmpty() ? "TRUE" : String.join(" AND ", c);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String clean(String s, String name) {
        if (!present(s)) {
            return null;
        }
        if (s.length() > MAX) {
            throw new ApiError.BadRequest(name + " is too long");
        }
        return s.trim();
    }

    private static Instant instant(String s, String name) {
        if (!present(s)) {
            return null;
        }
        try {
            return Instant.parse(s.trim());
        } catch (DateTimeParseException e) {
            throw new ApiError.BadRequest(name + " must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }
}
