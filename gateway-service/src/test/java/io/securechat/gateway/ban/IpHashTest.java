package io.securechat.gateway.ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The IP hash of docs/moderation-actions.md: keyed, prefixed, one value per client address. */
class IpHashTest {

    @Test
    void isHexHmacSha256OfThePrefixedAddress() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("k".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("ip-hash:v1|203.0.113.9".getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, IpHash.of("k", "203.0.113.9"));
        assertTrue(expected.matches("[0-9a-f]{64}"));
    }

    @Test
    void oneClientOneHashWhateverTheSpelling() {
        assertEquals(IpHash.of("k", "203.0.113.9"), IpHash.of("k", "::ffff:203.0.113.9"));
        assertEquals(IpHash.of("k", "2001:db8::1"), IpHash.of("k", "[2001:0db8:0:0:0:0:0:1]"));
        assertNotEquals(IpHash.of("k", "203.0.113.9"), IpHash.of("k", "203.0.113.10"));
        assertNotEquals(IpHash.of("k", "203.0.113.9"), IpHash.of("other key", "203.0.113.9"), "keyed");
        assertNull(IpHash.of("k", null));
        assertEquals("not-an-ip.example", IpHash.canonical("not-an-ip.example"), "never resolved");
    }
}
