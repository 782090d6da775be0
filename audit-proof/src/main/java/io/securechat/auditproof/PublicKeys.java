package io.securechat.auditproof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/** The log's Ed25519 public key as files and key ids. */
public final class PublicKeys {
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): what openssl writes in a PEM public key. */
    private static final byte[] SPKI_PREFIX = Hex.parse("302a300506032b6570032100");

    private PublicKeys() {
    }

    /** First 16 hex characters of SHA-256(raw): short enough to read, long enough not to collide by accident. */
    public static String keyId(byte[] raw) {
        requireRaw(raw);
        return Hex.of(Sha256.of(raw)).substring(0, 16);
    }

    /**
     * Reads base64 of the raw 32-byte key (whitespace ignored), JSON {"publicKey":"base64"} or
     * {"keys":[{"publicKey":...}]} (the first key). A PEM "PUBLIC KEY" from openssl is accepted too.
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it holds no Ed25519 public key in a known form
     */
    public static byte[] read(Path p) {
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read public key file " + p + ": " + e.getMessage(), e);
        }
        try {
            return parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public key file " + p + ": " + e.getMessage(), e);
        }
    }

    static byte[] parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the file is empty");
        }
        if (text.startsWith("{")) {
            return fromJson(text);
        }
        if (text.startsWith("-----BEGIN PUBLIC KEY-----")) {
            String body = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "");
            byte[] der = base64(body);
            if (der.length != SPKI_PREFIX.length + 32 || !Arrays.equals(Arrays.copyOf(der, SPKI_PREFIX.length), SPKI_PREFIX)) {
                throw new IllegalArgumentException("the PEM public key is not an Ed25519 key");
            }
            return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
        }
        return raw(base64(text), "the file");
    }

    private static byte[] fromJson(String text) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode key = n.get("publicKey");
        if (key == null && n.path("keys").isArray() && !n.get("keys").isEmpty()) {
            key = n.get("keys").get(0).get("publicKey");
        }
        if (key == null || !key.isTextual()) {
            throw new IllegalArgumentException("JSON without a \"publicKey\" string (expected {\"publicKey\":\"base64\"} or {\"keys\":[{\"publicKey\":\"base64\"}]})");
        }
        return raw(base64(key.textValue()), "\"publicKey\"");
    }

    private static byte[] base64(String s) {
        String compact = s.replaceAll("\\s+", "");
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(compact);
            } catch (IllegalArgumentException e2) {
                throw new IllegalArgumentException("not base64 (expected base64 of the raw 32-byte Ed25519 public key, or JSON {\"publicKey\":\"base64\"})");
            }
        }
    }

    private static byte[] raw(byte[] key, String where) {
        if (key.length != 32) {
            throw new IllegalArgumentException(where + " decodes to " + key.length + " bytes; an Ed25519 public key is 32 bytes");
        }
        return key;
    }

    static void requireRaw(byte[] raw) {
        if (raw == null || raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + (raw == null ? "null" : raw.length));
        }
    }
}
