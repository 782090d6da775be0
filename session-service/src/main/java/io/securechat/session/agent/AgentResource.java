package io.securechat.session.agent;

import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.session.agent.repository.AgentRepository;
import io.securechat.session.api.Caller;
import io.securechat.session.conversation.model.ConversationSummary;
import io.securechat.session.conversation.service.ConversationReads;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Agents for the console: who can take a transfer, and the caller's own open conversations. */
@Path("/api/v1/agents")
@RolesAllowed({"agent", "supervisor"})
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    /** The longest agent list returned. */
    static final int MAX_AGENTS = 500;

    @Inject
    SecurityIdentity identity;

    @Inject
    Pool pool;

    @Inject
    AgentRepository agents;

    @Inject
    ConversationReads reads;

    /**
     * Agents by display name with status, capacity and number of open assigned conversations
     * ({@code active}). Offline agents only with {@code includeOffline=true}: a transfer to an
     * agent needs them online or away.
     */
    @GET
    public Uni<List<AgentRepository.Listed>> list(@QueryParam("includeOffline") boolean includeOffline) {
        return agents.list(pool, includeOffline, MAX_AGENTS);
    }

    /** Open conversations assigned to the caller, plus, for supervisors, the open ones they subscribed to. */
    @GET
    @Path("me/conversations")
    public Uni<List<ConversationSummary>> mine() {
        return reads.openOfStaff(Caller.of(identity));
    }
}
