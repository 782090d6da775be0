package io.securechat.transcript.history;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;
import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.conversation.repository.ConversationRepository;
import io.securechat.transcript.history.model.MessageFrame;
import io.securechat.transcript.history.service.Decryptor;
import io.securechat.transcript.history.service.HistoryReads;
import io.securechat.transcript.message.repository.MessageRepository;
import io.securechat.transcript.messaging.AuditPublisher;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code GET /internal/v1/conversations/{id}/messages/by-id?ids=&for=&roles=&reportId=&reporter=}:
 * the evidence of a user report (docs/moderation-actions.md), asked by moderation-service with its
 * service identity (realm role {@code service}; the gateway never routes {@code /internal/**}) for
 * the moderator who opened the report ({@code for}). Returns only the named messages, and only
 * those of this conversation, decrypted, in seq order; ids that are not stored here are absent.
 * Also says whether {@code reporter} took part in the conversation (its customer, its agent, or
 * the sender of a message in it), so the moderator can weigh the report.
 *
 * <p>The moderator's authorization is moderation-service's (roles moderator, admin on its API);
 * this endpoint trusts the service principal for it, as {@link ResumeResource} trusts the gateway.
 * Every read is audited before it is answered ({@code transcript.read}, the moderator as reader,
 * {@code basis: moderation}, {@code via}: the calling service, {@code reportId}); integrity
 * failures as the history API audits them. An erased conversation returns no messages.
 */
@Path("/internal/v1/conversations")
@RolesAllowed("service")
@Produces(MediaType.APPLICATION_JSON)
public class EvidenceResource {

    static final int MAX_IDS = 50;

    @JsonPropertyOrder({"conversationId", "messages", "reporterParticipant"})
    public record Evidence(UUID conversationId, List<MessageFrame> messages, Boolean reporterParticipant) {}

    @Inject
    MessageRepository messages;

    @Inject
    ConversationRepository conversations;

    @Inject
    Decryptor decryptor;

    @Inject
    AuditPublisher audit;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("{id}/messages/by-id")
    @WithSession
    public Uni<RestResponse<Object>> byId(@PathParam("id") String id, @QueryParam("ids") String ids,
            @QueryParam("for") String forUser, @QueryParam("roles") String roles, @QueryParam("reportId") String reportId,
            @QueryParam("reporter") String reporter) {
        if (forUser == null || forUser.isBlank() || forUser.length() > 128) {
            throw new ApiError.BadRequest("for must name the moderator");
        }
        if (reportId != null && !reportId.isBlank() && ApiError.uuidOrNull(reportId.strip()) == null) {
            throw new ApiError.BadRequest("reportId must be a report id");
        }
        if (reporter != null && reporter.length() > 128) {
            throw new ApiError.BadRequest("reporter must be a user id");
        }
        List<UUID> wanted = ids(ids);
        UUID conversationId = ApiError.uuidOrNull(id);
        if (conversationId == null) {
            return Uni.createFrom().item(ApiError.notFound("conversation"));
        }
        List<String> readerRoles = roles == null || roles.isBlank() ? List.of()
                : Arrays.stream(roles.split(",")).map(String::strip).filter(Reader.CHAT_ROLES::contains).toList();
        Reader moderator = new Reader(forUser.strip(), readerRoles);
        String via = identity.getPrincipal().getName();
        return conversations.findById(conversationId).chain(c -> participant(c, conversationId, reporter).chain(p -> {
            boolean erased = c != null && c.erasedAt != null;
            // Evidence only for a report by someone who took part: anyone else could name message ids
            // of a conversation they never saw and have a moderator read it (found by review).
            boolean reporterTookPart = Boolean.TRUE.equals(p);
            Uni<List<MessageFrame>> frames = erased || wanted.isEmpty() || !reporterTookPart ? Uni.createFrom().item(List.of())
                    : messages.find("conversationId = ?1 and messageId in ?2", Sort.by("seq"), conversationId, wanted)
                            .list().chain(rows -> decryptor.frames(rows));
            return frames.map(found -> new Evidence(conversationId, found, p));
        })).call(e -> audits(moderator, via, reportId, wanted.size(), e)).map(RestResponse::<Object>ok);
    }

    private Uni<Boolean> participant(io.securechat.transcript.conversation.model.Conversation c, UUID conversationId,
            String reporter) {
        if (reporter == null || reporter.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        String who = reporter.strip();
        if (c != null && (who.equals(c.customerId) || who.equals(c.agentId))) {
            return Uni.createFrom().item(true);
        }
        return messages.count("conversationId = ?1 and senderUserId = ?2", conversationId, who).map(n -> n > 0);
    }

    private Uni<Void> audits(Reader moderator, String via, String reportId, int requested, Evidence e) {
        List<MessageFrame> failed = e.messages().stream().filter(MessageFrame::failed).toList();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("basis", "moderation");
        details.put("messageCount", e.messages().size());
        details.put("requested", requested);
        details.put("integrityErrors", failed.size());
        details.put("via", via);
        details.put("reportId", reportId == null || reportId.isBlank() ? null : reportId.strip());
        Uni<Void> out = audit.publish(AuditEvent.of(moderator, AuditEvent.TRANSCRIPT_READ, HistoryReads.CONVERSATION,
                e.conversationId().toString(), AuditEvent.SUCCESS, details));
        if (!failed.isEmpty()) {
            out = out.call(() -> audit.publish(HistoryReads.integrityFailure(moderator, e.conversationId(), failed)));
        }
        return out;
    }

    private static List<UUID> ids(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        Set<UUID> out = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            UUID id = ApiError.uuidOrNull(part.strip());
            if (id == null) {
                throw new ApiError.BadRequest("ids must be message ids separated by commas");
            }
            out.add(id);
        }
        if (out.size() > MAX_IDS) {
            throw new ApiError.BadRequest("ids must name at most " + MAX_IDS + " messages");
        }
        return new ArrayList<>(out);
    }
}
