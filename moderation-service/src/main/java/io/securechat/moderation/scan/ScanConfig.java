package io.securechat.moderation.scan;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Attachment scanning ({@code POST /internal/v1/attachments/scan}; docs/moderation-attachments.md).
 * A prefix of its own: {@code chat.moderation} is a strict mapping owned by the message gate.
 */
@ConfigMapping(prefix = "chat.scan")
public interface ScanConfig {

    /** Largest file accepted, in bytes (10 MiB, as transcript-service). The scan holds at most this much per file. */
    @WithDefault("10485760")
    int maxBytes();

    /** Detected types that may pass (MIME types of {@link FileType}); a type not listed is {@code scan.type_not_allowed}. */
    @WithDefault("image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,application/zip,"
            + "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
            + "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
            + "application/vnd.openxmlformats-officedocument.presentationml.presentation,"
            + "application/msword,application/vnd.ms-excel,application/vnd.ms-powerpoint")
    List<String> allowedTypes();

    /**
     * Scans running at once; each holds its file in memory (and nested archives up to
     * {@code max-bytes} each), so this bounds the memory scans use.
     */
    @WithDefault("4")
    int maxConcurrent();

    /** How long a scan waits for a free slot before the caller gets 503 (it retries later). */
    @WithDefault("PT5S")
    Duration acquireTimeout();

    /**
     * The operator's own signatures, one {@code name<TAB>pattern} per line (pattern literal
     * UTF-8, or {@code hex:} and hex digits), added to the shipped {@code scan/signatures.tsv}.
     * A file that is missing or malformed stops the service at start.
     */
    Optional<String> signaturesFile();

    Archive archive();

    Clamav clamav();

    /** Zip archives (OOXML documents are zips too): inflated in memory-bounded streams, never to disk. */
    interface Archive {
        /** Archives inside archives: a top-level zip is depth 1; deeper than this is {@code scan.archive_depth}. */
        @WithDefault("3")
        int maxDepth();

        /** Entries over every level together. */
        @WithDefault("1000")
        int maxEntries();

        /** Uncompressed bytes over every level together, counted as inflated (headers are not trusted). */
        @WithDefault("268435456")
        long maxTotalBytes();

        /** Uncompressed to compressed bytes of one entry, checked once it inflated past one MiB. */
        @WithDefault("100")
        int maxRatio();
    }

    /** clamd over TCP (INSTREAM), used as well as the built-in checks when {@code host} is set. */
    interface Clamav {
        Optional<String> host();

        @WithDefault("3310")
        int port();

        /** Bound on connecting and on each read and write; past it the scan fails closed (503). */
        @WithDefault("PT10S")
        Duration timeout();

        /** Bytes per INSTREAM chunk. */
        @WithDefault("65536")
        int chunkBytes();
    }
}
