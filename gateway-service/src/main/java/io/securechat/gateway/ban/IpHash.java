package io.securechat.gateway.ban;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The IP hash bans can target (docs/moderation-actions.md): lowercase hex of
 * HMAC-SHA256(fingerprint key, {@code "ip-hash:v1|" + address}). Keyed, so the address cannot be
 * recovered by hashing the IPv4 space; prefixed, so it never equals a guest fingerprint or the
 * guest-session rate-limit key made with the same key. IPv4-mapped IPv6 addresses count as the
 * IPv4 address, so one client gets one hash whichever socket family the server used.
 */
public final class IpHash {

    static final String PREFIX = "ip-hash:v1|";

    private IpHash() {}

    public static String of(String key, String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((PREFIX + canonical(address)).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The textual form of an IP literal, IPv4-mapped IPv6 as IPv4; anything else as given. */
    static String canonical(String address) {
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (!a.matches("[0-9A-Fa-f:.]+")) {
            return a; // not an IP literal: never resolved (no DNS lookups from a hash)
        }
        try {
            return InetAddress.getByName(a).getHostAddress();
        } catch (UnknownHostException e) {
            return a;
        }
    }
}
