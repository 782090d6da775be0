package io.securechat.platform.api;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps {@link ApiError.BadRequest} to 400 {@code bad_request}; the message names the parameter, never echoes input. */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public RestResponse<ApiError> badRequest(ApiError.BadRequest e) {
        return RestResponse.status(Response.Status.BAD_REQUEST, new ApiError("bad_request", e.getMessage()));
    }
}
