package io.securechat.moderation.policy.sensitive;

/**
 * Sensitive data found in a {@link io.securechat.moderation.policy.text.TextView}: {@code [start, end)}
 * in the view's indexes.
 *
 * @param kind the redaction kind clients show ({@code card}, {@code iban}, {@code ssn}, {@code pattern})
 * @param detail the detail code ({@code sensitive_data.card}, {@code sensitive_data.pattern.member_id}, ...)
 */
public record Finding(String kind, String detail, int start, int end) {}
