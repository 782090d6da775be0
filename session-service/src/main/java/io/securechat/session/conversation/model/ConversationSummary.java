package io.securechat.session.conversation.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.securechat.session.delivery.model.Frames;
import java.time.Instant;
import java.util.UUID;

/**
 * A conversation as the REST API shows it (agent console, customer widget): who, where, which
 * state, how far its messages go; never message text. {@code agent} is null while nobody has it.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"conversationId", "queue", "state", "subject", "clientRef", "customer", "agent", "createdAt",
        "assignedAt", "closedAt", "lastSeq"})
public record ConversationSummary(
        UUID conversationId,
        String queue,
        ConversationState state,
        String subject,
        String clientRef,
        Customer customer,
        Frames.AgentRef agent,
        Instant createdAt,
        Instant assignedAt,
        Instant closedAt,
        long lastSeq) {

    @JsonPropertyOrder({"userId", "displayName", "guest"})
    public record Customer(String userId, String displayName, boolean guest) {}

    @JsonIgnore
    public String customerId() {
        return customer.userId();
    }

    @JsonIgnore
    public String agentId() {
        return agent == null ? null : agent.userId();
    }
}
