package io.securechat.transcript.attachment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Attachment limits (README, "Attachments"). */
@ConfigMapping(prefix = "chat.transcript.attachments")
public interface AttachmentsConfig {

    /** Largest accepted file in bytes (10 MiB); keep it below {@code quarkus.http.limits.max-body-size}. */
    @WithDefault("10485760")
    long maxBytes();
}
