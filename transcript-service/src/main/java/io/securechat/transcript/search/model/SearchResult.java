package io.securechat.transcript.search.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.securechat.transcript.history.model.MessageFrame;
import java.util.List;

/** Messages that contain every word of the query, newest first, each as the {@code message} frame. */
@JsonPropertyOrder({"messages", "hasMore"})
public record SearchResult(List<MessageFrame> messages, boolean hasMore) {}
