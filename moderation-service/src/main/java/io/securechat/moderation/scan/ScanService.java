package io.securechat.moderation.scan;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.securechat.moderation.message.EventJson;
import io.securechat.moderation.pipeline.Violation;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * One scan from bytes to answer: reads the body (bounded by {@code chat.scan.max-bytes}),
 * runs the built-in checks ({@link FileScanner}), then clamd when configured, audits the
 * verdict ({@code attachment.scanned}, acknowledged by the broker before the answer), counts it
 * and, for malware and refused content, fires a {@link Violation} for the uploader's reputation.
 *
 * <p>Fails closed: when clamd is configured but cannot answer, or the audit record cannot be
 * written, or every scan slot stays busy, the caller gets {@link Unavailable} (HTTP 503) and
 * must not store the file. Blocking: worker threads only.
 */
@Startup
@ApplicationScoped
public class ScanService {

    public static final String AUDIT = "scan-audit";
    static final String SCANS = "chat.moderation.attachment.scans";
    static final String UNAVAILABLE = "chat.moderation.attachment.scans.unavailable";
    static final String RESOURCE = "scan/signatures.tsv";
    private static final Logger LOG = Logger.getLogger(ScanService.class);
    private static final Duration AUDIT_TIMEOUT = Duration.ofSeconds(10);

    /** The scan cannot give a verdict now; the caller refuses the upload and the user tries again later. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private final ScanConfig config;
    private final FileScanner scanner;
    private final ClamdClient clamd;
    private final Semaphore slots;
    private final MutinyEmitter<String> audit;
    private final MeterRegistry registry;
    private final Event<Violation> violations;

    public ScanService(ScanConfig config, @Channel(AUDIT) MutinyEmitter<String> audit, MeterRegistry registry,
            Event<Violation> violations) throws IOException {
        this.config = config;
        this.scanner = new FileScanner(config, loadSignatures(config));
        this.clamd = config.clamav().host().filter(h -> !h.isBlank())
                .map(h -> new ClamdClient(h, config.clamav().port(), config.clamav().timeout(), config.clamav().chunkBytes()))
                .orElse(null);
        this.slots = new Semaphore(Math.max(1, config.maxConcurrent()), true);
        this.audit = audit;
        this.registry = registry;
        this.violations = violations;
        LOG.infof("attachment scanning: %d signatures, allowed types %s, ClamAV %s", scanner.signatures().list().size(),
                config.allowedTypes(), clamd == null ? "off" : "at " + clamd.endpoint());
    }

    /** EICAR, the shipped list, then the operator's file; a missing or malformed file stops the service at start. */
    static Signatures loadSignatures(ScanConfig config) throws IOException {
        List<Signatures.Signature> all = new ArrayList<>();
        all.add(Signatures.eicar());
        try (InputStream in = ScanService.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
            }
            all.addAll(Signatures.parse(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE));
        }
        if (config.signaturesFile().isPresent() && !config.signaturesFile().get().isBlank()) {
            Path file = Path.of(config.signaturesFile().get());
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                all.addAll(Signatures.parse(r, file.toString()));
            }
        }
        return new Signatures(all);
    }

    FileScanner scanner() {
        return scanner;
    }

    /**
     * The verdict for one upload.
     *
     * @param via the calling service (its client id), for the audit record
     * @throws Unavailable when no verdict can be given now (fail closed: 503)
     * @throws IOException when the body could not be read to its end
     */
    public ScanVerdict scan(ScanRequest request, InputStream body, String via) throws Unavailable, IOException {
        try {
            if (!slots.tryAcquire(config.acquireTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                registry.counter(UNAVAILABLE, "cause", "busy").increment();
                throw new Unavailable("every scan slot is busy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
        try {
            long[] size = {0};
            ScanVerdict verdict = decide(request, body, size, via);
            publish(ScanAuditEvent.of(request, verdict, size[0], via));
            registry.counter(SCANS, "verdict", verdict.verdict(), "reason", verdict.metricReason()).increment();
            if (verdict.clean()) {
                LOG.debugf("attachment %s (conversation %s): CLEAN %s", request.attachmentId(), request.conversationId(),
                        verdict.contentType());
            } else {
                LOG.infof("attachment %s (conversation %s) from %s: REJECTED %s", request.attachmentId(),
                        request.conversationId(), request.uploaderId(), verdict.reason());
            }
            if (verdict.countsAsViolation()) {
                violations.fireAsync(new Violation(request.uploaderId(), request.guestFingerprint(), verdict.code(),
                        "attachment"));
            }
            return verdict;
        } finally {
            slots.release();
        }
    }

    private ScanVerdict decide(ScanRequest request, InputStream body, long[] size, String via) throws Unavailable, IOException {
        String problem = NameRules.filenameProblem(request.filename());
        if (problem != null) {
            return ScanVerdict.badRequest(ScanVerdict.FILENAME, problem);
        }
        if (request.size() != null && request.size() > config.maxBytes()) {
            size[0] = request.size();
            return scanner.tooLarge(config.maxBytes());
        }
        byte[] data;
        if (request.size() != null) {
            data = new byte[(int) (long) request.size()];
            int n = body.readNBytes(data, 0, data.length);
            if (n < data.length || body.read() >= 0) {
                size[0] = n;
                return ScanVerdict.badRequest(ScanVerdict.SIZE_MISMATCH, "the file's length is not the size announced");
            }
        } else {
            data = body.readNBytes(config.maxBytes() + 1);
        }
        size[0] = data.length;
        if (data.length > config.maxBytes()) {
            return scanner.tooLarge(config.maxBytes());
        }
        ScanVerdict verdict = scanner.scan(request.filename(), request.declaredType(), data);
        if (!verdict.clean() || clamd == null) {
            return verdict;
        }
        ClamdClient.Result result;
        try {
            result = clamd.scan(data);
        } catch (IOException e) {
            registry.counter(UNAVAILABLE, "cause", "clamav").increment();
            LOG.warnf("ClamAV at %s cannot scan attachment %s (conversation %s): %s; the upload is refused",
                    clamd.endpoint(), request.attachmentId(), request.conversationId(), e.getClass().getSimpleName());
            publishQuietly(ScanAuditEvent.unavailable(request, "scan.clamav_unavailable", data.length, via));
            throw new Unavailable("ClamAV cannot scan now");
        }
        if (result.clean()) {
            return verdict;
        }
        return new ScanVerdict(ScanVerdict.REJECTED, ScanVerdict.MALWARE_CODE,
                ScanVerdict.CLAMAV_PREFIX + ClamdClient.code(result.signature()), verdict.contentType(),
                "the virus scanner found malware in the file");
    }

    private void publish(ScanAuditEvent event) throws Unavailable {
        try {
            audit.sendMessage(KafkaRecord.of(event.key(), EventJson.write(event))).await().atMost(AUDIT_TIMEOUT);
        } catch (RuntimeException e) {
            registry.counter(UNAVAILABLE, "cause", "audit").increment();
            LOG.errorf("the audit record of attachment %s could not be written (%s); the upload is refused",
                    event.resource().id(), e.getClass().getSimpleName());
            throw new Unavailable("audit unavailable");
        }
    }

    private void publishQuietly(ScanAuditEvent event) {
        try {
            publish(event);
        } catch (Unavailable ignored) {
            // Already refusing the upload; the failure to audit it is logged and counted.
        }
    }
}
