package io.securechat.auditproof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class AuditEntryTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ZEROS = "0".repeat(64);

    private static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }

    @Test
    void hashesAreOverTheCanonicalForm() throws Exception {
        AuditEntry e = new AuditEntry(1, "2026-11-25T10:00:00Z", AuditEntry.GENESIS_PREV_HASH,
                json("{\"type\":\"login\",\"eventId\":\"e1\",\"n\":1.0}"));
        String canonical = "{\"event\":{\"eventId\":\"e1\",\"n\":1,\"type\":\"login\"},\"prevHash\":\"" + ZEROS
                + "\",\"recordedAt\":\"2026-11-25T10:00:00Z\",\"seq\":1}";
        assertEquals(canonical, new String(e.canonicalBytes(), StandardCharsets.UTF_8));
        byte[] utf8 = canonical.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(utf8), e.chainHash());
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update((byte) 0);
        assertArrayEquals(d.digest(utf8), e.leafHash());
        assertEquals(64, ZEROS.length());
        assertEquals(ZEROS, AuditEntry.GENESIS_PREV_HASH);
    }

    @Test
    void jsonRoundTrip() throws Exception {
        AuditEntry e = new AuditEntry(42, "2026-11-25T10:00:00.123Z", "ab".repeat(32), json("{\"eventId\":\"x\"}"));
        assertEquals(e, AuditEntry.fromJson(e.toJson()));
        assertEquals(e, AuditEntry.fromJson(json(e.toJson().toString())));
        assertEquals(4, e.toJson().size());
    }

    @Test
    void fromJsonNamesWhatIsWrong() throws Exception {
        String ok = "\"seq\":3,\"recordedAt\":\"t\",\"prevHash\":\"" + ZEROS + "\",\"event\":{}";
        assertEquals(3, AuditEntry.fromJson(json("{" + ok + "}")).seq());
        assertMessage("\"seq\" is missing", "{\"recordedAt\":\"t\",\"prevHash\":\"" + ZEROS + "\",\"event\":{}}");
        assertMessage("\"seq\" must be an integer", "{\"seq\":\"3\",\"recordedAt\":\"t\",\"prevHash\":\"" + ZEROS + "\",\"event\":{}}");
        assertMessage("\"seq\" must be an integer", "{\"seq\":3.5,\"recordedAt\":\"t\",\"prevHash\":\"" + ZEROS + "\",\"event\":{}}");
        assertMessage("\"recordedAt\" is missing", "{\"seq\":3,\"prevHash\":\"" + ZEROS + "\",\"event\":{}}");
        assertMessage("\"recordedAt\" must be a string", "{\"seq\":3,\"recordedAt\":5,\"prevHash\":\"" + ZEROS + "\",\"event\":{}}");
        assertMessage("\"prevHash\" is missing", "{\"seq\":3,\"recordedAt\":\"t\",\"event\":{}}");
        assertMessage("\"prevHash\" must be 64 lowercase hex", "{\"seq\":3,\"recordedAt\":\"t\",\"prevHash\":\"" + "A".repeat(64) + "\",\"event\":{}}");
        assertMessage("\"prevHash\" must be 64 lowercase hex", "{\"seq\":3,\"recordedAt\":\"t\",\"prevHash\":\"00\",\"event\":{}}");
        assertMessage("\"event\" is missing", "{\"seq\":3,\"recordedAt\":\"t\",\"prevHash\":\"" + ZEROS + "\"}");
        assertMessage("\"event\" must be a JSON object", "{\"seq\":3,\"recordedAt\":\"t\",\"prevHash\":\"" + ZEROS + "\",\"event\":[]}");
        assertMessage("unexpected field \"extra\"", "{" + ok + ",\"extra\":1}");
        assertMessage("entry must be a JSON object", "[]");
    }

    private static void assertMessage(String expected, String entry) throws Exception {
        JsonNode n = json(entry);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditEntry.fromJson(n));
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }

    @Test
    void hexIsLowercaseAndStrict() {
        assertEquals("00ff10ab", Hex.of(new byte[] {0, (byte) 0xff, 0x10, (byte) 0xab}));
        assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10, (byte) 0xab}, Hex.parse("00ff10ab"));
        assertThrows(IllegalArgumentException.class, () -> Hex.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> Hex.parse("AB"));
        assertThrows(IllegalArgumentException.class, () -> Hex.parse("zz"));
    }
}
