package io.securechat.transcript.history.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.securechat.transcript.attachment.service.AttachmentDescriptors;
import io.securechat.transcript.crypto.MessageContent;
import io.securechat.transcript.crypto.TranscriptCipher;
import io.securechat.transcript.crypto.TranscriptCipher.DataKey;
import io.securechat.transcript.history.model.MessageFrame;
import io.securechat.transcript.message.model.StoredMessage;
import io.securechat.transcript.message.service.DataKeys;
import io.securechat.transcript.metrics.TranscriptMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns stored rows into {@code message} frames. A row that does not decrypt (a ciphertext moved
 * to another row or conversation, corrupted, or its data key destroyed or not unwrappable)
 * becomes an integrity-error frame: counted, and logged once per message with ids only.
 */
@ApplicationScoped
public class Decryptor {

    private static final Logger LOG = Logger.getLogger(Decryptor.class);

    private final DataKeys dataKeys;
    private final ObjectMapper json;
    private final TranscriptMetrics metrics;
    private final AttachmentDescriptors attachments;
    /** Messages already logged as failed: the log says it once, not on every read. */
    private final Cache<UUID, Boolean> logged = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofHours(24)).build();

    public Decryptor(DataKeys dataKeys, ObjectMapper json, TranscriptMetrics metrics, AttachmentDescriptors attachments) {
        this.attachments = attachments;
        this.dataKeys = dataKeys;
        this.json = json;
        this.metrics = metrics;
    }

    /** Frames in the order of {@code rows}; must run inside a Hibernate Reactive session (keys are read). */
    public Uni<List<MessageFrame>> frames(List<StoredMessage> rows) {
        Map<UUID, List<StoredMessage>> byConversation = new LinkedHashMap<>();
        rows.forEach(r -> byConversation.computeIfAbsent(r.conversationId, k -> new ArrayList<>()).add(r));
        Map<UUID, DataKey> keys = new LinkedHashMap<>();
        Uni<Void> loaded = Uni.createFrom().voidItem();
        for (UUID conversationId : byConversation.keySet()) {
            // One after the other: a Hibernate Reactive session runs one operation at a time.
            loaded = loaded.chain(() -> dataKeys.forReading(conversationId)
                    .onFailure(DataKeys.UnusableKeyException.class).recoverWithNull()
                    .invoke(k -> keys.put(conversationId, k))
                    .replaceWithVoid());
        }
        Map<UUID, MessageContent> contents = new java.util.HashMap<>();
        return loaded.map(v -> {
                    for (StoredMessage r : rows) {
                        MessageContent c = content(r, keys.get(r.conversationId));
                        if (c != null) {
                            contents.put(r.messageId, c);
                        }
                    }
                    return contents.entrySet().stream().filter(e -> !e.getValue().attachmentIds().isEmpty())
                            .map(Map.Entry::getKey).toList();
                })
                .chain(attachments::linked)
                .map(linked -> {
                    List<MessageFrame> out = new ArrayList<>(rows.size());
                    for (StoredMessage r : rows) {
                        MessageContent c = contents.get(r.messageId);
                        out.add(c != null ? MessageFrame.of(r, c, linked.get(r.messageId)) : failed(r, keys.get(r.conversationId)));
                    }
                    return out;
                });
    }

    private MessageContent content(StoredMessage m, DataKey key) {
        if (key != null) {
            try {
                byte[] plain = TranscriptCipher.decrypt(key, m.conversationId, m.seq, m.messageId, m.ciphertext);
                return json.readValue(plain, MessageContent.class);
            } catch (java.security.GeneralSecurityException | java.io.IOException | RuntimeException e) {
                // an integrity error
            }
        }
        return null;
    }

    private MessageFrame failed(StoredMessage m, DataKey key) {
        metrics.integrityFailures(1);
        if (logged.asMap().putIfAbsent(m.messageId, Boolean.TRUE) == null) {
            LOG.errorf("integrity failure: message %s (conversation %s, seq %d, data key id %d) does not decrypt%s",
                    m.messageId, m.conversationId, m.seq, m.dataKeyId, key == null ? " (no usable data key)" : "");
        }
        return MessageFrame.integrityError(m);
    }
}
