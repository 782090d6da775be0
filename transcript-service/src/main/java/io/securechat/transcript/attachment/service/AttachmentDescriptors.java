package io.securechat.transcript.attachment.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.transcript.attachment.model.AttachmentMetadata;
import io.securechat.transcript.attachment.model.AttachmentView;
import io.securechat.transcript.crypto.AttachmentCipher;
import io.securechat.transcript.crypto.AttachmentCipher.StreamKey;
import io.securechat.transcript.message.service.DataKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The descriptors {@code {attachmentId, filename, contentType, size}} of attachments, their
 * metadata decrypted: those linked to messages (history, search, export) or all of a conversation
 * (export). An attachment whose metadata does not decrypt is left out and logged with ids.
 */
@ApplicationScoped
public class AttachmentDescriptors {

    private static final Logger LOG = Logger.getLogger(AttachmentDescriptors.class);

    private final Pool pool;
    private final StreamKeys keys;
    private final ObjectMapper json;

    public AttachmentDescriptors(Pool pool, StreamKeys keys, ObjectMapper json) {
        this.pool = pool;
        this.keys = keys;
        this.json = json;
    }

    private record Row4(UUID attachmentId, UUID conversationId, UUID messageId, long size, byte[] metadata) {}

    /** messageId to its linked attachments (in upload order). */
    public Uni<Map<UUID, List<AttachmentView>>> linked(Collection<UUID> messageIds) {
        if (messageIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return query("SELECT attachment_id, conversation_id, message_id, size, metadata FROM attachments "
                + "WHERE message_id = ANY($1) AND complete ORDER BY created_at, attachment_id",
                Tuple.of(messageIds.toArray(UUID[]::new)))
                .chain(rows -> describe(rows).map(views -> {
                    Map<UUID, List<AttachmentView>> out = new HashMap<>();
                    for (int i = 0; i < rows.size(); i++) {
                        if (views.get(i) != null) {
                            out.computeIfAbsent(rows.get(i).messageId(), k -> new ArrayList<>()).add(views.get(i));
                        }
                    }
                    return out;
                }));
    }

    /** Every complete attachment of a conversation (optionally only those one user uploaded). */
    public Uni<List<AttachmentView>> ofConversation(UUID conversationId, String uploaderOrNull) {
        return query("SELECT attachment_id, conversation_id, message_id, size, metadata FROM attachments "
                + "WHERE conversation_id = $1 AND complete AND ($2::text IS NULL OR uploader_id = $2) "
                + "ORDER BY created_at, attachment_id", Tuple.of(conversationId, uploaderOrNull))
                .chain(this::describe).map(l -> l.stream().filter(v -> v != null).toList());
    }

    private Uni<List<Row4>> query(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(rs -> {
            List<Row4> out = new ArrayList<>();
            for (Row r : rs) {
                out.add(new Row4(r.getUUID("attachment_id"), r.getUUID("conversation_id"), r.getUUID("message_id"),
                        r.getLong("size"), r.getBuffer("metadata").getBytes()));
            }
            return out;
        });
    }

    private Uni<List<AttachmentView>> describe(List<Row4> rows) {
        Map<UUID, StreamKey> byConversation = new LinkedHashMap<>();
        Uni<Void> loaded = Uni.createFrom().voidItem();
        for (UUID c : rows.stream().map(Row4::conversationId).distinct().toList()) {
            loaded = loaded.chain(() -> keys.forReading(c)
                    .onFailure(DataKeys.UnusableKeyException.class).recoverWithNull()
                    .invoke(k -> byConversation.put(c, k)).replaceWithVoid());
        }
        return loaded.map(v -> {
            List<AttachmentView> out = new ArrayList<>(rows.size());
            for (Row4 r : rows) {
                out.add(view(r, byConversation.get(r.conversationId())));
            }
            return out;
        });
    }

    private AttachmentView view(Row4 r, StreamKey key) {
        if (key == null) {
            return null;
        }
        try {
            AttachmentMetadata m = json.readValue(AttachmentCipher.decryptMetadata(key, r.conversationId(), r.attachmentId(),
                    r.metadata()), AttachmentMetadata.class);
            return new AttachmentView(r.attachmentId().toString(), m.filename(), m.contentType(), r.size());
        } catch (Exception e) {
            LOG.errorf("integrity failure: metadata of attachment %s (conversation %s) does not decrypt", r.attachmentId(),
                    r.conversationId());
            return null;
        }
    }
}
