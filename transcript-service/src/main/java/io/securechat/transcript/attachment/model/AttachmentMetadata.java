package io.securechat.transcript.attachment.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** What is encrypted in {@code attachments.metadata}: the name, the detected type and the SHA-256 (hex) of the plaintext. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"v", "filename", "contentType", "sha256"})
public record AttachmentMetadata(int v, String filename, String contentType, String sha256) {}
