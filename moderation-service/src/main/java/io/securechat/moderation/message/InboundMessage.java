package io.securechat.moderation.message;

import java.time.Instant;
import java.util.List;

/**
 * A {@code chat.inbound.v1} record as the gateway writes it (docs/events.md): this service's own
 * copy of the contract. Fields it does not know are ignored ({@link EventJson}).
 */
public record InboundMessage(int v, String messageId, String clientMsgId, String conversationId, Sender sender,
        String text, List<String> attachmentIds, String gatewayNode, String connectionId, Instant receivedAt) {

    /**
     * @param userId the Keycloak subject, or {@code guest:<uuid>} for guests
     * @param fingerprint guests only: a SHA-256 the gateway derives from the guest session
     */
    public record Sender(String userId, List<String> roles, String displayName, boolean guest, String fingerprint) {

        public Sender {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    public InboundMessage {
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
    }

    /** The ids the gate cannot do without: to key the verdict, route it and charge the buckets. */
    boolean isComplete() {
        return present(messageId) && present(conversationId) && sender != null && present(sender.userId())
                && present(connectionId);
    }

    /** The fingerprint that bans and mutes may target: a guest's only, never one a signed-in user carries. */
    public String guestFingerprint() {
        return sender.guest() && present(sender.fingerprint()) ? sender.fingerprint() : null;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
