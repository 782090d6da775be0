package io.securechat.transcript.attachment.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** An attachment as the API shows it: upload answer, history and export. */
@JsonPropertyOrder({"attachmentId", "filename", "contentType", "size"})
public record AttachmentView(String attachmentId, String filename, String contentType, long size) {}
