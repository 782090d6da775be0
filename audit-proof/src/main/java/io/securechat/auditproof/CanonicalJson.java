package io.securechat.auditproof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * RFC 8785 (JCS). Hashes and signatures are computed over this form so that any party that
 * re-serialises the same JSON value, in any language, gets the same bytes.
 */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CanonicalJson() {
    }

    public static byte[] bytes(JsonNode node) {
        return string(node).getBytes(StandardCharsets.UTF_8);
    }

    public static String string(JsonNode node) {
        if (node == null) {
            throw new IllegalArgumentException("cannot canonicalize a null JSON node");
        }
        String json;
        try {
            json = MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return new JsonCanonicalizer(json).getEncodedString();
        } catch (IOException e) {
            // JsonCanonicalizer reports values JCS cannot represent (e.g. NaN) as IOException.
            throw new IllegalArgumentException("JSON value cannot be canonicalized (RFC 8785): " + e.getMessage(), e);
        }
    }
}
