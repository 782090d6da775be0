package io.securechat.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Settings of the public edge ({@code chat.gateway.*}). */
@ConfigMapping(prefix = "chat.gateway")
public interface GatewayConfig {

    /** This node's id: its delivery topic is {@code chat.delivery.v1.<nodeId>}. */
    @WithDefault("gw-1")
    String nodeId();

    /** Origins allowed to open a WebSocket (exact match, scheme://host:port). */
    List<String> allowedOrigins();

    /** How often clients are asked to send {@code ping}; a socket silent for twice this is closed. */
    @WithDefault("PT25S")
    Duration heartbeat();

    /** Longest message text, in characters. */
    @WithDefault("4000")
    int maxTextLength();

    /** Most attachments on one message. */
    @WithDefault("10")
    int maxAttachments();

    /** Frames a socket may send: a token bucket of this size... */
    @WithDefault("40")
    int frameBurst();

    /** ...refilled at this many frames per second. */
    @WithDefault("20")
    int framesPerSecond();

    /** Bad or refused frames tolerated within {@link #violationWindow()} before closing with 4429. */
    @WithDefault("10")
    int maxViolations();

    @WithDefault("PT60S")
    Duration violationWindow();

    /** Sockets one user may hold on one node (a browser with a few tabs and a phone). */
    @WithDefault("10")
    int maxSocketsPerUser();

    /** Guest sessions one client address may create per minute. */
    @WithDefault("10")
    int guestSessionsPerMinute();

    /** Version of the privacy notice guests must accept to get a session. */
    @WithDefault("2026-11-01")
    String privacyPolicyVersion();

    /** How long a guest session (and its guest token) lives. */
    @WithDefault("PT2H")
    Duration guestSessionTtl();

    /**
     * Refused upgrades are audited once per reason, source IP hash and user per this window; the
     * rest of the window's refusals are counted into one summary record (docs/audit-coverage.md).
     */
    @WithDefault("PT1M")
    Duration refusalAuditWindow();

    /** Most (reason, IP hash, user) windows open at once; past it, new sources share one per reason. */
    @WithDefault("10000")
    int refusalAuditSources();

    /** Key of the keyed hash that makes guest fingerprints (a Secret in production). */
    String fingerprintKey();
}
