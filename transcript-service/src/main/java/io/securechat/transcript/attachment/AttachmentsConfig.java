package io.securechat.transcript.attachment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Attachment limits (README, "Attachments"). */
@ConfigMapping(prefix = "chat.transcript.attachments")
public interface AttachmentsConfig {

    /** Largest accepted file in bytes (10 MiB); keep it below {@code quarkus.http.limits.max-body-size}. */
    @WithDefault("10485760")
    long maxBytes();

    /**
     * Uploads held at once: each is read into memory (at most {@link #maxBytes()}) to be scanned
     * by moderation-service before anything is stored, so this bounds the memory they take.
     */
    @WithDefault("4")
    int maxConcurrentUploads();

    /** How long an upload waits for a free place before it is refused with 503 (the user tries again). */
    @WithDefault("PT2S")
    Duration uploadWait();
}
