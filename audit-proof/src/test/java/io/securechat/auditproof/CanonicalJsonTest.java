package io.securechat.auditproof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String resource(String name) throws Exception {
        try (InputStream in = CanonicalJsonTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void rfc8785SampleIsCanonicalizedByteForByte() throws Exception {
        // RFC 8785 sections 3.2.2 / 3.2.3: the sample input and its published canonical form.
        JsonNode sample = MAPPER.readTree(resource("rfc8785-sample.json"));
        String expected = resource("rfc8785-sample.canonical.json");
        assertEquals(expected, CanonicalJson.string(sample));
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), CanonicalJson.bytes(sample));
    }

    @Test
    void numbersFollowRfc8785EvenWhenJacksonKeepsBigDecimals() throws Exception {
        // A service whose ObjectMapper keeps decimals exact must still hash the same bytes as one that uses doubles.
        ObjectMapper exact = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode sample = exact.readTree(resource("rfc8785-sample.json"));
        assertEquals(resource("rfc8785-sample.canonical.json"), CanonicalJson.string(sample));
        assertEquals("[0,0,1,100,1.5,-1e-7,1e+21,9007199254740992]",
                CanonicalJson.string(MAPPER.readTree("[0, -0.0, 1.0, 1E2, 1.50, -0.0000001, 1e21, 9007199254740992]")));
    }

    @Test
    void keysAreSortedByUtf16CodeUnits() throws Exception {
        // RFC 8785 section 3.2.3's sorting example.
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        assertEquals(expected, CanonicalJson.string(MAPPER.readTree(input)));
    }

    @Test
    void nestedObjectsAreSortedAndWhitespaceIsDropped() throws Exception {
        JsonNode n = MAPPER.readTree("{ \"b\" : [ {\"z\":1, \"a\":2} , \"x\" ],\n \"a\" : { \"d\" : null, \"c\" : true } }");
        assertEquals("{\"a\":{\"c\":true,\"d\":null},\"b\":[{\"a\":2,\"z\":1},\"x\"]}", CanonicalJson.string(n));
    }

    @Test
    void stringsUseTheMinimalEscapes() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("s", "tab\there \u0001 \u001f quote\" backslash\\ slash/ \u00e9 \u2028 \ud83d\ude00");
        assertEquals("{\"s\":\"tab\\there \\u0001 \\u001f quote\\\" backslash\\\\ slash/ \u00e9 \u2028 \ud83d\ude00\"}",
                CanonicalJson.string(n));
    }

    @Test
    void nullIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.bytes(null));
    }
}
