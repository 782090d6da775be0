package io.securechat.transcript.attachment.scan;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Where moderation-service's attachment scan is (README "Attachments"). */
@ConfigMapping(prefix = "chat.scan-client")
public interface ScanClientConfig {

    /** moderation-service's base URL; the scan is {@code POST /internal/v1/attachments/scan}. */
    @WithDefault("http://127.0.0.1:8082")
    URI url();

    /** Bound on the whole call (token, upload of the file, the scan, ClamAV included); past it: 503, nothing stored. */
    @WithDefault("PT30S")
    Duration timeout();
}
