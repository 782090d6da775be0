package io.securechat.moderation.pipeline;

import io.securechat.moderation.message.InboundMessage;
import io.smallrye.mutiny.Uni;

/**
 * One check every inbound message passes. Implementations are CDI beans; configuration picks
 * them by {@link #id()} and orders them ({@code chat.moderation.policies}).
 *
 * <p>A policy sees the original message, whatever earlier policies said: redaction spans from
 * several policies all refer to the same text. A failed {@code Uni} means "could not decide":
 * the gate retries the message rather than let it through unchecked, so a policy that prefers
 * to fail open must recover by itself.
 */
public interface ModerationPolicy {

    String id();

    Uni<PolicyResult> evaluate(InboundMessage message);

    /**
     * The same, with the settings of the message's queue. The pipeline calls this one; a policy
     * without per-queue options need not override it (switching a policy off per queue is the
     * pipeline's business, not the policy's).
     */
    default Uni<PolicyResult> evaluate(InboundMessage message, QueueSettings queue) {
        return evaluate(message);
    }

    /**
     * True for a policy that reads the message alone (no I/O): its failure on a message would
     * repeat on every retry, so retrying would hold the partition forever. The pipeline refuses
     * such a message instead ({@code internal}, detail {@code policy_error.<id>}), counted and
     * audited, and goes on. Policies that ask PostgreSQL or Redis keep the retry.
     */
    default boolean deterministic() {
        return false;
    }
}
