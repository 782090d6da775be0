package io.securechat.transcript.attachment.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.platform.api.ApiError;
import io.securechat.transcript.api.Reader;
import io.securechat.transcript.attachment.AttachmentsConfig;
import io.securechat.transcript.attachment.model.AttachmentMetadata;
import io.securechat.transcript.attachment.model.AttachmentView;
import io.securechat.transcript.attachment.scan.AttachmentScanner;
import io.securechat.transcript.attachment.scan.AttachmentScanner.Verdict;
import io.securechat.transcript.attachment.scan.ContentTypes;
import io.securechat.transcript.attachment.scan.FileNames;
import io.securechat.transcript.attachment.scan.RemoteScanner;
import io.securechat.transcript.conversation.model.ReadAccess.Basis;
import io.securechat.transcript.conversation.service.ConversationInfo;
import io.securechat.transcript.conversation.service.ConversationLocks;
import io.securechat.transcript.conversation.service.ConversationInfo.Info;
import io.securechat.transcript.crypto.AttachmentCipher;
import io.securechat.transcript.crypto.AttachmentCipher.StreamKey;
import io.securechat.transcript.messaging.AuditPublisher;
import io.securechat.transcript.messaging.event.AuditEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Upload and download of attachments. An upload is read into memory (at most
 * {@code max-bytes}; at most {@code max-concurrent-uploads} at once), checked by the local gate
 * ({@link AttachmentScanner}: type by magic bytes, name, declared type) and then by
 * moderation-service's scan ({@link RemoteScanner}) before anything is stored: no row, no key,
 * no chunk exists for a file that was not found clean. Only then is it encrypted as a stream
 * (Tink StreamingAead) and written in chunks of 1 MiB. If the scan cannot answer, the upload is
 * refused with 503 and nothing is stored (fail closed). Downloads stream chunk by chunk.
 * Blocking (worker threads): called from {@code @Blocking} endpoints only.
 */
@ApplicationScoped
public class Attachments {

    private static final Logger LOG = Logger.getLogger(Attachments.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int BUFFER = 64 * 1024;
    public static final String ATTACHMENT = "attachment";
    static final String UNAVAILABLE = "files cannot be checked right now; try again shortly";

    private final Pool pool;
    private final ConversationInfo conversations;
    private final StreamKeys keys;
    private final AttachmentScanner scanner;
    private final RemoteScanner remote;
    private final AuditPublisher audit;
    private final AttachmentsConfig config;
    private final ObjectMapper json;
    private final Semaphore uploads;

    public Attachments(Pool pool, ConversationInfo conversations, StreamKeys keys, AttachmentScanner scanner,
            RemoteScanner remote, AuditPublisher audit, AttachmentsConfig config, ObjectMapper json) {
        this.pool = pool;
        this.conversations = conversations;
        this.keys = keys;
        this.scanner = scanner;
        this.remote = remote;
        this.audit = audit;
        this.config = config;
        this.json = json;
        this.uploads = new Semaphore(Math.max(1, config.maxConcurrentUploads()), true);
    }

    public Response upload(Reader reader, UUID conversationId, String filename, String contentType, Long contentLength,
            InputStream body) {
        String problem = FileNames.problem(filename);
        if (problem != null) {
            return error(400, "bad_request", problem);
        }
        Info c = conversationId == null ? null : conversations.find(conversationId).await().atMost(TIMEOUT);
        boolean participant = c != null && !c.erased() && !c.tombstoned()
                && (reader.userId().equals(c.customerId()) || (reader.isAgent() && reader.userId().equals(c.agentId())));
        if (!participant) {
            return error(404, "not_found", "conversation not found");
        }
        if (c.closed()) {
            return error(409, "conflict", "the conversation is closed: files can be sent only while it is open");
        }
        UUID attachmentId = UUID.randomUUID();
        if (contentLength != null && contentLength > config.maxBytes()) {
            return rejected(reader, conversationId, attachmentId, 413, "too_large", null, tooLarge(), contentLength);
        }
        if (!ContentTypes.allowedExtension(filename)) {
            return rejected(reader, conversationId, attachmentId, 415, "blocked_content", null,
                    "files named like this are not accepted: " + ContentTypes.ACCEPTED, 0);
        }
        boolean admitted;
        try {
            admitted = uploads.tryAcquire(config.uploadWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            return error(503, "internal", "too many files are being sent right now; try again shortly");
        }
        try {
            return checkAndStore(reader, conversationId, attachmentId, filename, contentType, contentLength, body);
        } finally {
            uploads.release();
        }
    }

    private Response checkAndStore(Reader reader, UUID conversationId, UUID attachmentId, String filename,
            String contentType, Long contentLength, InputStream body) {
        byte[] data;
        try {
            if (contentLength != null) {
                // Announced (and within the limit): read into an array of that size, no growing copies.
                data = new byte[(int) (long) contentLength];
                int n = body.readNBytes(data, 0, data.length);
                if (n < data.length || body.read() >= 0) {
                    return error(400, "bad_request", "the file's length is not its Content-Length");
                }
            } else {
                // One byte more than the limit tells an oversized stream (chunked, no length) from a full one.
                data = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBytes() + 1));
            }
        } catch (IOException e) {
            // The client went away or the body could not be read: nothing is kept.
            LOG.warnf("upload of attachment %s (conversation %s) not completed: %s", attachmentId, conversationId,
                    e.getClass().getSimpleName());
            return error(400, "bad_request", "the file could not be read completely");
        }
        if (data.length > config.maxBytes()) {
            return rejected(reader, conversationId, attachmentId, 413, "too_large", null, tooLarge(), data.length);
        }
        // The local gate: cheap type checks first; a file it calls malware still goes to the scan (audit, reputation).
        AttachmentScanner.Scan local = scanner.begin(filename, contentType);
        Verdict v = local.update(data, 0, data.length);
        if (v == null) {
            v = local.finish();
        }
        if (v.kind() != AttachmentScanner.Kind.CLEAN && v.kind() != AttachmentScanner.Kind.MALWARE) {
            return rejected(reader, conversationId, attachmentId, status(v), v.code(), null, v.message(), data.length);
        }
        RemoteScanner.Result scanned;
        try {
            scanned = remote.scan(reader, conversationId, attachmentId, filename, contentType, data);
        } catch (RemoteScanner.Unavailable e) {
            if (v.kind() == AttachmentScanner.Kind.MALWARE) {
                return rejected(reader, conversationId, attachmentId, 422, "malware", null, v.message(), data.length);
            }
            return rejected(reader, conversationId, attachmentId, 503, "internal", "scan.unavailable", UNAVAILABLE,
                    data.length);
        }
        if (!scanned.clean()) {
            return rejected(reader, conversationId, attachmentId, status(scanned.code()), apiCode(scanned.code()),
                    scanned.reason(), scanned.message(), data.length);
        }
        if (v.kind() == AttachmentScanner.Kind.MALWARE) {
            // The gate's finding stands even if the scan disagrees.
            return rejected(reader, conversationId, attachmentId, 422, "malware", null, v.message(), data.length);
        }
        return store(reader, conversationId, attachmentId, filename, scanned.contentType(), data);
    }

    /** Encrypts and stores a file found clean; the key and the row are created only now. */
    private Response store(Reader reader, UUID conversationId, UUID attachmentId, String filename, String type, byte[] data) {
        // The key (created with the first upload) and the upload's row, under the conversation's lock, shared, and
        // only while it is not tombstoned: an erasure or purge that committed first leaves no new key behind.
        StreamKey key = pool.withTransaction(conn -> ConversationLocks.sharedThenTombstoned(conn, conversationId)
                .chain(gone -> gone ? Uni.createFrom().<StreamKey>nullItem() : keys.forWriting(conn, conversationId)
                        .call(k -> k == null ? Uni.createFrom().voidItem() : conn.preparedQuery(
                                        "INSERT INTO attachments (attachment_id, conversation_id, uploader_id) VALUES ($1, $2, $3)")
                                .execute(Tuple.of(attachmentId, conversationId, reader.userId())))))
                .await().atMost(TIMEOUT);
        if (key == null) {
            return error(404, "not_found", "conversation not found");
        }
        keys.remember(conversationId, key);
        boolean kept = false;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ChunkSink sink = new ChunkSink(pool, attachmentId);
            OutputStream enc = AttachmentCipher.encrypting(key, conversationId, attachmentId, sink);
            for (int off = 0; off < data.length; off += BUFFER) {
                int n = Math.min(BUFFER, data.length - off);
                sha.update(data, off, n);
                enc.write(data, off, n);
            }
            enc.close();
            sink.close();
            AttachmentMetadata meta = new AttachmentMetadata(1, filename, type, HexFormat.of().formatHex(sha.digest()));
            byte[] sealed = AttachmentCipher.encryptMetadata(key, conversationId, attachmentId, json.writeValueAsBytes(meta));
            // Completed only while the conversation is not tombstoned, under its lock (shared): a file finished after
            // an erasure or purge is not kept (its rows are deleted below).
            long size = data.length;
            boolean completed = pool.withTransaction(conn -> ConversationLocks.sharedThenTombstoned(conn, conversationId)
                    .chain(gone -> gone ? Uni.createFrom().item(false) : conn.preparedQuery(
                                    "UPDATE attachments SET metadata = $2, size = $3, complete = true WHERE attachment_id = $1")
                            .execute(Tuple.of(attachmentId, Buffer.buffer(sealed), size)).map(r -> r.rowCount() == 1)))
                    .await().atMost(TIMEOUT);
            if (!completed) {
                LOG.infof("upload of attachment %s not kept: conversation %s was purged or erased meanwhile", attachmentId,
                        conversationId);
                return error(404, "not_found", "conversation not found");
            }
            kept = true;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("conversationId", conversationId.toString());
            details.put("contentType", type);
            details.put("size", size);
            audit.publish(AuditEvent.of(reader, AuditEvent.ATTACHMENT_UPLOADED, ATTACHMENT, attachmentId.toString(),
                    AuditEvent.SUCCESS, details)).await().atMost(TIMEOUT);
            return Response.status(201).entity(new AttachmentView(attachmentId.toString(), filename, type, size)).build();
        } catch (IOException e) {
            throw new UncheckedIOException("attachment storage failed", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("attachment encryption failed", e);
        } finally {
            if (!kept) {
                delete(attachmentId);
            }
        }
    }

    private String tooLarge() {
        return "the file is larger than " + (config.maxBytes() >= 1 << 20 && config.maxBytes() % (1 << 20) == 0
                ? config.maxBytes() / (1 << 20) + " MiB" : config.maxBytes() + " bytes");
    }

    private static int status(Verdict v) {
        return switch (v.kind()) {
            case EMPTY -> 400;
            case MALWARE -> 422;
            default -> 415;
        };
    }

    /** The HTTP status of a scan's rejection code. */
    static int status(String scanCode) {
        return switch (scanCode) {
            case "malware" -> 422;
            case "too_large" -> 413;
            case "bad_request" -> 400;
            default -> 415;
        };
    }

    /** The API code of a scan's rejection: one of the contract's codes. */
    static String apiCode(String scanCode) {
        return switch (scanCode) {
            case "malware", "too_large", "bad_request" -> scanCode;
            default -> "blocked_content";
        };
    }

    /**
     * A refused upload: audited as {@code attachment.rejected} (reason code, the scan's detail code,
     * bytes seen; never the name or content), nothing stored. DENIED for a refusal, FAILURE when
     * the scan could not answer (503).
     */
    private Response rejected(Reader reader, UUID conversationId, UUID attachmentId, int status, String code, String scan,
            String message, long bytesSeen) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("conversationId", conversationId.toString());
        details.put("reason", status == 503 ? "scan_unavailable" : code);
        if (scan != null) {
            details.put("scan", scan);
        }
        details.put("bytesSeen", bytesSeen);
        audit.publish(AuditEvent.of(reader, AuditEvent.ATTACHMENT_REJECTED, ATTACHMENT, attachmentId.toString(),
                status == 503 ? AuditEvent.FAILURE : AuditEvent.DENIED, details)).await().atMost(TIMEOUT);
        String api = "empty".equals(code) ? "bad_request" : code;
        return error(status, api, message);
    }

    private void delete(UUID attachmentId) {
        pool.preparedQuery("DELETE FROM attachments WHERE attachment_id = $1").execute(Tuple.of(attachmentId))
                .await().atMost(TIMEOUT);
    }

    static Response error(int status, String code, String message) {
        return Response.status(status).type("application/json").entity(new ApiError(code, message)).build();
    }

    /** A stored, complete attachment's plaintext row. */
    record Stored(UUID attachmentId, UUID conversationId, long size, byte[] metadata) {}

    public Response download(Reader reader, UUID conversationId, UUID attachmentId) {
        Info c = conversationId == null || attachmentId == null ? null : conversations.find(conversationId).await().atMost(TIMEOUT);
        Basis basis = conversations.readBasis(reader, c).await().atMost(TIMEOUT);
        if (!basis.allowed()) {
            return error(404, "not_found", "attachment not found");
        }
        Iterator<Row> rows = pool.preparedQuery("SELECT size, metadata FROM attachments WHERE attachment_id = $1 "
                        + "AND conversation_id = $2 AND complete")
                .execute(Tuple.of(attachmentId, conversationId)).await().atMost(TIMEOUT).iterator();
        if (!rows.hasNext()) {
            return error(404, "not_found", "attachment not found");
        }
        Row row = rows.next();
        StreamKey key = keys.forReading(conversationId).await().atMost(TIMEOUT);
        if (key == null) {
            return error(404, "not_found", "attachment not found");
        }
        AttachmentMetadata meta;
        try {
            meta = json.readValue(AttachmentCipher.decryptMetadata(key, conversationId, attachmentId,
                    row.getBuffer("metadata").getBytes()), AttachmentMetadata.class);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            LOG.errorf("integrity failure: metadata of attachment %s (conversation %s) does not decrypt", attachmentId,
                    conversationId);
            return error(500, "integrity_error", "the attachment does not decrypt");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("conversationId", conversationId.toString());
        details.put("basis", basis.code());
        audit.publish(AuditEvent.of(reader, AuditEvent.ATTACHMENT_DOWNLOADED, ATTACHMENT, attachmentId.toString(),
                AuditEvent.SUCCESS, details)).await().atMost(TIMEOUT);
        StreamingOutput out = sink -> {
            try (InputStream plain = AttachmentCipher.decrypting(key, conversationId, attachmentId,
                    new ChunkSource(pool, attachmentId))) {
                plain.transferTo(sink);
            } catch (GeneralSecurityException e) {
                throw new IOException("attachment does not decrypt", e);
            } catch (IOException e) {
                LOG.errorf("attachment %s (conversation %s) failed while streaming: %s", attachmentId, conversationId,
                        e.getClass().getSimpleName());
                throw e;
            }
        };
        return Response.ok(out, ContentTypes.responseType(meta.contentType()))
                .header("Content-Disposition", FileNames.contentDisposition(meta.filename()))
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .build();
    }
}
