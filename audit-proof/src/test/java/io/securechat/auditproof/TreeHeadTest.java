package io.securechat.auditproof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeHeadTest {
    private static final byte[] ROOT = Merkle.leafHash("root".getBytes(StandardCharsets.UTF_8));
    private static final Instant AT = Instant.parse("2026-11-25T10:15:30.123Z");
    private static final byte[] SPKI_PREFIX = Hex.parse("302a300506032b6570032100");

    @Test
    void signingInputIsTheContextThenTheJcsOfTheFourFields() {
        TreeHead h = new TreeHead(5, "ab".repeat(32), "2026-11-25T10:15:30Z", "0123456789abcdef");
        assertEquals("securechat.audit.tree-head.v1\n{\"keyId\":\"0123456789abcdef\",\"rootHash\":\"" + "ab".repeat(32)
                + "\",\"timestamp\":\"2026-11-25T10:15:30Z\",\"treeSize\":5}", new String(h.signingInput(), StandardCharsets.UTF_8));
    }

    @Test
    void signAndVerifyRoundTrip() throws Exception {
        TreeHeadSigner signer = TreeHeadSigner.fromKeysetJson(TreeHeadSigner.generateKeysetJson());
        SignedTreeHead sth = signer.sign(7, ROOT, AT);
        assertEquals(7, sth.head().treeSize());
        assertEquals(Hex.of(ROOT), sth.head().rootHash());
        assertEquals("2026-11-25T10:15:30.123Z", sth.head().timestamp());
        assertEquals(signer.keyId(), sth.head().keyId());
        assertEquals(PublicKeys.keyId(signer.publicKeyRaw()), signer.keyId());
        assertEquals(16, signer.keyId().length());
        assertEquals(64, Base64.getDecoder().decode(sth.signature()).length);

        TreeHeadVerifier verifier = TreeHeadVerifier.of(signer.publicKeyRaw());
        assertEquals(signer.keyId(), verifier.keyId());
        assertTrue(verifier.verify(sth));
        SignedTreeHead parsed = SignedTreeHead.fromJson(new ObjectMapper().readTree(sth.toJson().toString()));
        assertEquals(sth, parsed);
        assertTrue(verifier.verify(parsed));
        assertEquals(5, sth.toJson().size());

        // Plain Ed25519: the JDK verifies it with nothing but the raw public key.
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, signer.publicKeyRaw()))));
        jdk.update(sth.head().signingInput());
        assertTrue(jdk.verify(Base64.getDecoder().decode(sth.signature())));
    }

    @Test
    void alteredFieldsAndOtherKeysFail() {
        TreeHeadSigner signer = TreeHeadSigner.fromKeysetJson(TreeHeadSigner.generateKeysetJson());
        TreeHeadSigner other = TreeHeadSigner.fromKeysetJson(TreeHeadSigner.generateKeysetJson());
        SignedTreeHead sth = signer.sign(7, ROOT, AT);
        TreeHead h = sth.head();
        TreeHeadVerifier verifier = TreeHeadVerifier.of(signer.publicKeyRaw());

        assertFalse(verifier.verify(new SignedTreeHead(new TreeHead(8, h.rootHash(), h.timestamp(), h.keyId()), sth.signature())), "size");
        assertFalse(verifier.verify(new SignedTreeHead(new TreeHead(7, "00".repeat(32), h.timestamp(), h.keyId()), sth.signature())), "root");
        assertFalse(verifier.verify(new SignedTreeHead(new TreeHead(7, h.rootHash(), "2026-11-25T10:15:31.123Z", h.keyId()), sth.signature())), "time");
        byte[] sig = Base64.getDecoder().decode(sth.signature());
        sig[10] ^= 1;
        assertFalse(verifier.verify(new SignedTreeHead(h, Base64.getEncoder().encodeToString(sig))), "signature bit");
        assertFalse(verifier.verify(new SignedTreeHead(h, "not base64!")), "garbage signature");
        assertFalse(verifier.verify(new SignedTreeHead(h, Base64.getEncoder().encodeToString(new byte[63]))), "short signature");

        // Another key: its own head fails, and relabelling it with our key id does not help.
        SignedTreeHead foreign = other.sign(7, ROOT, AT);
        assertFalse(verifier.verify(foreign), "other key");
        TreeHead relabelled = new TreeHead(7, h.rootHash(), h.timestamp(), signer.keyId());
        assertFalse(verifier.verify(new SignedTreeHead(relabelled, foreign.signature())), "relabelled");
        assertFalse(TreeHeadVerifier.of(other.publicKeyRaw()).verify(sth), "verified with the other key");
    }

    @Test
    void handBuiltRawKeysetLikeTheOpensslScriptLoads() throws Exception {
        // What the local key script writes: an Ed25519PrivateKey proto assembled by hand from a seed and
        // public key generated outside Tink (here by the JDK, there by openssl).
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] pkcs8 = kp.getPrivate().getEncoded();
        byte[] spki = kp.getPublic().getEncoded();
        byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        byte[] pub = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        assertArrayEquals(SPKI_PREFIX, Arrays.copyOf(spki, 12));

        String keyset = openSslStyleKeyset(pub, seed, 1846183456L);
        TreeHeadSigner signer = TreeHeadSigner.fromKeysetJson(keyset);
        assertArrayEquals(pub, signer.publicKeyRaw());
        assertEquals(PublicKeys.keyId(pub), signer.keyId());
        SignedTreeHead sth = signer.sign(3, ROOT, AT);
        assertTrue(TreeHeadVerifier.of(pub).verify(sth));

        // Key ids are uint32 in Tink; a script may pick one above 2^31.
        assertArrayEquals(pub, TreeHeadSigner.fromKeysetJson(openSslStyleKeyset(pub, seed, 4_000_000_000L)).publicKeyRaw());
        // And the same key in Tink's own field order (what generateKeysetJson writes).
        TreeHeadSigner tinkOrder = TreeHeadSigner.fromKeysetJson(tinkOrderKeyset(pub, seed, 7));
        assertArrayEquals(pub, tinkOrder.publicKeyRaw());
        assertTrue(TreeHeadVerifier.of(pub).verify(tinkOrder.sign(3, ROOT, AT)));

        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(kp.getPublic());
        jdk.update(sth.head().signingInput());
        assertTrue(jdk.verify(Base64.getDecoder().decode(sth.signature())), "the JDK's own public key verifies it");
    }

    @Test
    void keysetsThatWouldSignWronglyAreRejected() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] pkcs8 = kp.getPrivate().getEncoded();
        byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        byte[] otherPub = TreeHeadSigner.fromKeysetJson(TreeHeadSigner.generateKeysetJson()).publicKeyRaw();
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> TreeHeadSigner.fromKeysetJson(openSslStyleKeyset(otherPub, seed, 42)));
        assertTrue(mismatch.getMessage().contains("does not match"), mismatch.getMessage());
        IllegalArgumentException tinkMismatch = assertThrows(IllegalArgumentException.class,
                () -> TreeHeadSigner.fromKeysetJson(tinkOrderKeyset(otherPub, seed, 42)));
        assertTrue(tinkMismatch.getMessage().contains("does not match"), tinkMismatch.getMessage());
        assertTrue(!tinkMismatch.getMessage().contains(Hex.of(seed)), "no key material in messages");

        String tinkPrefixed = TinkJsonProtoKeysetFormat.serializeKeyset(
                KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519), InsecureSecretKeyAccess.get());
        IllegalArgumentException prefixed = assertThrows(IllegalArgumentException.class, () -> TreeHeadSigner.fromKeysetJson(tinkPrefixed));
        assertTrue(prefixed.getMessage().contains("RAW"), prefixed.getMessage());

        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class, () -> TreeHeadSigner.fromKeysetJson("{\"nope\":1}"));
        assertTrue(garbage.getMessage().contains("Tink"), garbage.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TreeHeadSigner.fromKeysetJson(""));
    }

    @Test
    void publicKeyFilesInEveryAcceptedForm(@TempDir Path dir) throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = kp.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(spki, 12, 44);
        String b64 = Base64.getEncoder().encodeToString(raw);

        assertArrayEquals(raw, PublicKeys.read(write(dir, "a.pub", b64)));
        assertArrayEquals(raw, PublicKeys.read(write(dir, "b.pub", "  " + b64.substring(0, 20) + "\n" + b64.substring(20) + "\n\n")));
        assertArrayEquals(raw, PublicKeys.read(write(dir, "c.json", "{\"publicKey\":\"" + b64 + "\",\"keyId\":\"x\"}")));
        assertArrayEquals(raw, PublicKeys.read(write(dir, "d.json", "{\"keys\":[{\"publicKey\":\"" + b64 + "\"},{\"publicKey\":\"AAAA\"}]}")));
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----\n";
        assertArrayEquals(raw, PublicKeys.read(write(dir, "e.pem", pem)));

        assertReadFails(write(dir, "short.pub", Base64.getEncoder().encodeToString(new byte[31])), "31 bytes");
        assertReadFails(write(dir, "text.pub", "this is not a key"), "not base64");
        assertReadFails(write(dir, "empty.pub", "\n"), "empty");
        assertReadFails(write(dir, "nokey.json", "{\"key\":\"" + b64 + "\"}"), "publicKey");
        assertReadFails(write(dir, "bad.json", "{\"publicKey\":"), "not valid JSON");
        assertThrows(java.io.UncheckedIOException.class, () -> PublicKeys.read(dir.resolve("missing.pub")));

        assertEquals(Hex.of(java.security.MessageDigest.getInstance("SHA-256").digest(raw)).substring(0, 16), PublicKeys.keyId(raw));
        assertThrows(IllegalArgumentException.class, () -> TreeHeadVerifier.of(new byte[31]));
    }

    private static void assertReadFails(Path p, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PublicKeys.read(p));
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
        assertTrue(e.getMessage().contains(p.getFileName().toString()), "names the file: " + e.getMessage());
    }

    private static Path write(Path dir, String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    /**
     * The keyset as the brief for the bash script describes it: proto bytes 12 22 12 20 PUB 1a 20 SEED
     * (public key as field 2, seed as field 3), base64 in "value". Tink's own order has them swapped.
     */
    static String openSslStyleKeyset(byte[] pub, byte[] seed, long id) {
        return keyset("1222" + "1220" + Hex.of(pub) + "1a20" + Hex.of(seed), id);
    }

    /** Tink's Ed25519PrivateKey field order: key_value (2) = seed, public_key (3) = {key_value (2) = pub}. */
    static String tinkOrderKeyset(byte[] pub, byte[] seed, long id) {
        return keyset("1220" + Hex.of(seed) + "1a22" + "1220" + Hex.of(pub), id);
    }

    private static String keyset(String protoHex, long id) {
        String value = Base64.getEncoder().encodeToString(Hex.parse(protoHex));
        return "{\"primaryKeyId\":" + id + ",\"key\":[{\"keyData\":{\"typeUrl\":\"type.googleapis.com/google.crypto.tink.Ed25519PrivateKey\","
                + "\"value\":\"" + value + "\",\"keyMaterialType\":\"ASYMMETRIC_PRIVATE\"},\"status\":\"ENABLED\",\"keyId\":" + id
                + ",\"outputPrefixType\":\"RAW\"}]}";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
