package io.securechat.moderation.pipeline;

import java.util.Map;
import java.util.Set;

/**
 * The policy settings that apply to one message, chosen by its conversation's queue
 * ({@code chat.policy.queues."<queue>".*}).
 *
 * @param queue the conversation's queue; null while it is not known yet (then the defaults apply)
 * @param disabled policy ids switched off for this queue
 * @param options per-policy options of this queue, keyed {@code <policy id>.<name>} (e.g.
 *        {@code sensitive-data.action}); a policy falls back to its global setting when absent
 */
public record QueueSettings(String queue, Set<String> disabled, Map<String, String> options) {

    /** No queue known, nothing switched off, every policy on its global settings. */
    public static final QueueSettings DEFAULTS = new QueueSettings(null, Set.of(), Map.of());

    public QueueSettings {
        disabled = Set.copyOf(disabled);
        options = Map.copyOf(options);
    }

    public boolean enabled(String policyId) {
        return !disabled.contains(policyId);
    }

    /** This queue's value of a policy's option, or {@code fallback}. */
    public String option(String policyId, String name, String fallback) {
        return options.getOrDefault(policyId + "." + name, fallback);
    }
}
