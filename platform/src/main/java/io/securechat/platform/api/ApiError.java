package io.securechat.platform.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The JSON error body of every service's REST API, {@code {code, message}}, with the codes of
 * the WebSocket protocol's {@code error} frame ({@code bad_request}, {@code not_found},
 * {@code forbidden}) plus {@code conflict} for an action that cannot run now.
 */
@JsonPropertyOrder({"code", "message"})
public record ApiError(String code, String message) {

    /** A request parameter out of its range; answered 400 with {@code bad_request} ({@link ApiExceptionMappers}). */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    public static <T> RestResponse<T> notFound(String what) {
        return status(Response.Status.NOT_FOUND, "not_found", what + " not found");
    }

    public static <T> RestResponse<T> forbidden(String message) {
        return status(Response.Status.FORBIDDEN, "forbidden", message);
    }

    public static <T> RestResponse<T> conflict(String message) {
        return status(Response.Status.CONFLICT, "conflict", message);
    }

    @SuppressWarnings("unchecked")
    private static <T> RestResponse<T> status(Response.Status status, String code, String message) {
        return (RestResponse<T>) RestResponse.status(status, new ApiError(code, message));
    }

    /**
     * An integer query parameter: {@code fallback} when absent, else it must lie in
     * {@code [min, max]}. Parsed here rather than by the framework, so a malformed value gets
     * the same JSON 400 as one out of range.
     */
    public static long param(String name, String raw, long fallback, long min, long max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number");
        }
        if (value < min || value > max) {
            throw new BadRequest(name + " must be between " + min + " and " + max);
        }
        return value;
    }

    /** An id from a path; null when malformed (the caller answers 404 as for an unknown id). */
    public static UUID uuidOrNull(String raw) {
        try {
            return raw == null ? null : UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
