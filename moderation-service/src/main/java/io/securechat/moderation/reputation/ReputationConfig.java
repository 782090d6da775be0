package io.securechat.moderation.reputation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Reputation: decaying violation scores and the mutes and bans they trigger ({@code chat.reputation.*}). */
@ConfigMapping(prefix = "chat.reputation")
public interface ReputationConfig {

    /** Off: violations are not scored and nothing is imposed automatically. */
    @WithDefault("true")
    boolean enabled();

    /** A score halves after this long without new violations. */
    @WithDefault("PT1H")
    Duration halfLife();

    /**
     * Score (after the violation) from which the subject is muted for {@link #muteDuration()}.
     * 9: a phishing link plus a malware upload (8) is not enough, two malware uploads or five
     * blocked messages in a short time are.
     */
    @WithDefault("9")
    double muteThreshold();

    @WithDefault("PT15M")
    Duration muteDuration();

    /** Score (after the violation) from which the subject is banned for {@link #banDuration()}: 24, five malware uploads. */
    @WithDefault("24")
    double banThreshold();

    @WithDefault("PT24H")
    Duration banDuration();

    /** Weight of a reason code that {@link #weights()} and the built-in table do not list. */
    @WithDefault("1")
    double defaultWeight();

    /**
     * Weight per reason code ({@code chat.reputation.weights.phishing=3}), over the built-in table
     * ({@link Reputation#DEFAULT_WEIGHTS}); 0 turns a code off. application.properties lists the
     * built-in values too, so operators see them.
     */
    Map<String, Double> weights();
}
