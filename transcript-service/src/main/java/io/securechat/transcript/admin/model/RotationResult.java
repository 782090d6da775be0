package io.securechat.transcript.admin.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of a KEK rotation: the new primary key id, how many data keys were re-wrapped with
 * it, how many could not be (they do not unwrap: see the log), how many are still wrapped with
 * an older key (0 when it finished), and how long it took.
 */
@JsonPropertyOrder({"kekKeyId", "previousKekKeyId", "rewrapped", "failed", "remaining", "tookMs"})
public record RotationResult(long kekKeyId, long previousKekKeyId, long rewrapped, long failed, long remaining,
        long tookMs) {}
