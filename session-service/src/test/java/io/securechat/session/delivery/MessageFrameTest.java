package io.securechat.session.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.securechat.session.delivery.model.Frames;
import io.securechat.session.messaging.event.MessageEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageFrameTest {

    private static MessageEvent event(List<String> attachmentIds) {
        return new MessageEvent(1, UUID.randomUUID(), "c-1", UUID.randomUUID(), 3,
                new MessageEvent.Sender("u1", "customer", "Ada", false), "see the file",
                new ObjectMapper().createArrayNode(), attachmentIds, Instant.parse("2026-11-25T10:00:00Z"));
    }

    @Test
    void attachmentsTravelByIdInTheLiveFrame() {
        Frames.MessageFrame f = Frames.MessageFrame.of(event(List.of("a1", "a2")));
        assertEquals(List.of(Map.of("attachmentId", "a1"), Map.of("attachmentId", "a2")), f.attachments());
    }

    @Test
    void noAttachmentsIsAnEmptyList() {
        assertEquals(List.of(), Frames.MessageFrame.of(event(List.of())).attachments());
        assertEquals(List.of(), Frames.MessageFrame.of(event(null)).attachments());
    }
}
