package io.securechat.transcript.search;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.search.model.SearchResult;
import io.securechat.transcript.search.service.TranscriptSearch;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/v1/search?q=...&limit=20}: messages containing every word of q, newest first. */
@Path("/api/v1/search")
@RolesAllowed({"customer", "agent", "supervisor", "compliance"})
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    @Inject
    SecurityIdentity identity;

    @Inject
    TranscriptSearch search;

    @GET
    public Uni<SearchResult> search(@QueryParam("q") String q, @QueryParam("limit") String limit) {
        int max = (int) ApiError.param("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<String> words = TranscriptSearch.words(q);
        return search.search(Reader.of(identity), words, max);
    }
}
