package io.securechat.moderation.policy.phishing;

/**
 * A link found in a message.
 *
 * @param host the host as written, lower case, trailing dots removed (IPv6 keeps its brackets)
 * @param explicit written as a URL (with a scheme) or an address with a path or port: only then is
 *        a host of digits an IP-literal link rather than, say, a version number
 * @param userinfo what stood before an {@code @} in the authority ({@code https://acme.example@evil.test/}), or null
 * @param path what followed the host ({@code /reset?x=1}), or empty
 */
public record Link(String host, boolean explicit, String userinfo, String path) {}
