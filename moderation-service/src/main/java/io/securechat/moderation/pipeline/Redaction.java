package io.securechat.moderation.pipeline;

/**
 * A span of the message text to mask, {@code [start, end)} in UTF-16 code units (the string
 * indexes of Java and JavaScript alike, so clients can use the span as is); {@code kind} says
 * what was found there ({@code card}, {@code iban}, ...).
 */
public record Redaction(String kind, int start, int end) {

    public Redaction {
        if (kind == null || kind.isBlank() || start < 0 || end < start) {
            throw new IllegalArgumentException("bad redaction span " + kind + " [" + start + ", " + end + ")");
        }
    }
}
