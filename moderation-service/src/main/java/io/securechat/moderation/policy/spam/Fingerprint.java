package io.securechat.moderation.policy.spam;

import io.securechat.moderation.policy.text.Skeleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint of a text for the spam counters: a SHA-256 (128 bits kept, hex) of its
 * skeleton's letters and digits, so case, spacing, punctuation, invisible characters and look-alike
 * letters do not make a copy "different". The text itself is never stored.
 */
public final class Fingerprint {

    private Fingerprint() {}

    /** The letters and digits of the text's skeleton: what two copies of one text share. */
    public static String normalize(String text) {
        String skeleton = Skeleton.of(text == null ? "" : text);
        StringBuilder out = new StringBuilder(skeleton.length());
        skeleton.codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
        return out.toString();
    }

    /**
     * The fingerprint of a text. A text without letters or digits ("!!!", an emoji) is
     * fingerprinted from its visible characters instead, so such texts still differ from each other.
     */
    public static String of(String text) {
        String normalized = normalize(text);
        String basis = normalized.isEmpty() ? Skeleton.of(text == null ? "" : text).replaceAll("\\s+", "") : normalized;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
