package io.securechat.audit.trail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A checked {@code audit.events.v1} record (docs/events.md): the fields the trail indexes must be
 * present and well-formed; anything else in the event is kept as sent.
 */
public record IncomingEvent(UUID eventId, Instant occurredAt, String actorId, String action, String resourceType,
        String resourceId, String outcome, String service, ObjectNode event) {

    static final Set<String> OUTCOMES = Set.of("SUCCESS", "DENIED", "FAILURE");
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");
    private static final int MAX_FIELD = 200;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** Why an event cannot be appended as it is; it is then recorded as {@code audit.event_rejected}. */
    public static final class Invalid extends Exception {
        public final String reason;

        Invalid(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    public static IncomingEvent of(JsonNode node) throws Invalid {
        if (!(node instanceof ObjectNode event)) {
            throw new Invalid("not_an_object");
        }
        UUID id;
        String idText = text(event, "eventId");
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException e) {
            throw new Invalid("bad_event_id");
        }
        // Only the canonical form: the column stores it, and verification compares it with the text.
        if (!id.toString().equals(idText)) {
            throw new Invalid("bad_event_id");
        }
        Instant occurred;
        try {
            occurred = Instant.parse(text(event, "occurredAt"));
        } catch (DateTimeParseException e) {
            throw new Invalid("bad_occurred_at");
        }
        // Within what PostgreSQL's timestamptz holds: a year like +300000 would fail the insert and
        // hold every partition of the batch forever.
        if (occurred.isBefore(EARLIEST) || occurred.isAfter(LATEST)) {
            throw new Invalid("bad_occurred_at");
        }
        JsonNode actor = event.get("actor");
        if (actor == null || !actor.isObject()) {
            throw new Invalid("missing_actor");
        }
        JsonNode userId = actor.get("userId");
        String actorId = userId == null || userId.isNull() ? null : bounded(userId.asText(), "bad_actor");
        String action = text(event, "action");
        if (!ACTION.matcher(action).matches()) {
            throw new Invalid("bad_action");
        }
        JsonNode resource = event.get("resource");
        if (resource == null || !resource.isObject()) {
            throw new Invalid("missing_resource");
        }
        String type = text((ObjectNode) resource, "type", "resource_type");
        String rid = text((ObjectNode) resource, "id", "resource_id");
        String outcome = text(event, "outcome");
        if (!OUTCOMES.contains(outcome)) {
            throw new Invalid("bad_outcome");
        }
        JsonNode svc = event.get("service");
        String service = svc == null || svc.isNull() ? null : bounded(svc.asText(), "bad_service");
        return new IncomingEvent(id, occurred, actorId, action, type, rid, outcome, service, event);
    }

    private static String text(ObjectNode node, String field) throws Invalid {
        return text(node, field, snake(field));
    }

    private static String text(ObjectNode node, String field, String name) throws Invalid {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new Invalid("missing_" + name);
        }
        return bounded(v.asText(), "bad_" + name);
    }

    private static String bounded(String s, String reason) throws Invalid {
        if (s.length() > MAX_FIELD) {
            throw new Invalid(reason);
        }
        // Control characters (NUL above all, which PostgreSQL text refuses) would make the row
        // impossible to store and hold the partition forever.
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new Invalid(reason);
            }
        }
        return s;
    }

    private static String snake(String field) {
        return field.replaceAll("([A-Z])", "_$1").toLowerCase();
    }
}
