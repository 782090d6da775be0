package io.securechat.moderation.policy.spam;

/**
 * The counters after recording a message.
 *
 * @param conversations distinct conversations the same text went to within the window (0 when not counted)
 * @param links links the sender sent within the window, this message's included
 * @param repeats how many times in a row the sender has now sent this text in this conversation
 */
public record SpamCounts(long conversations, long links, long repeats) {}
