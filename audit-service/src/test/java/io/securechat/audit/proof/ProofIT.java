package io.securechat.audit.proof;

import static io.restassured.RestAssured.given;
import static io.securechat.audit.AuditFixtures.awaitStored;
import static io.securechat.audit.AuditFixtures.compliance;
import static io.securechat.audit.AuditFixtures.event;
import static io.securechat.audit.AuditFixtures.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.securechat.auditproof.AuditEntry;
import io.securechat.auditproof.Hex;
import io.securechat.auditproof.Merkle;
import io.securechat.auditproof.PublicKeys;
import io.securechat.auditproof.SignedTreeHead;
import io.securechat.auditproof.TreeHead;
import io.securechat.auditproof.TreeHeadVerifier;
import io.securechat.platform.schema.SchemaMigrator;
import io.securechat.testsupport.LocalStack;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inclusion and consistency proofs checked here with the public key file alone, as an outsider would. */
@QuarkusTest
class ProofIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SchemaMigrator migrator;

    TreeHeadVerifier outsider;

    @BeforeEach
    void setUp() throws Exception {
        migrator.awaitMigrated(Duration.ofSeconds(60));
        // The public key as published for verifiers (stack/keys.sh), not the service's signer.
        outsider = TreeHeadVerifier.of(PublicKeys.read(LocalStack.runDir().resolve("keys/audit-signing.pub")));
    }

    @Test
    void anInclusionProofVerifiesWithThePublicKeyAloneAndAForgedOneDoesNot() throws Exception {
        UUID id = send(event("it.proof", "test", "proof-" + UUID.randomUUID(), "tester"));
        long seq = awaitStored(id);
        JsonNode p = inclusion(id);
        SignedTreeHead head = SignedTreeHead.fromJson(p.get("treeHead"));
        assertTrue(outsider.verify(head), "the tree head is signed by the published key");
        assertEquals(seq - 1, p.get("leafIndex").asLong());
        byte[] leaf = AuditEntry.fromJson(p.get("entry")).leafHash();
        assertEquals(Hex.of(leaf), p.get("leafHash").asText(), "the leaf is the entry's RFC 9162 leaf hash");
        List<byte[]> path = hexes(p.get("path"));
        byte[] root = Hex.parse(head.head().rootHash());
        long size = head.head().treeSize();
        assertTrue(Merkle.verifyInclusion(seq - 1, size, leaf, path, root), "inclusion proof");

        // Forgeries: another entry, another position, a changed path, a changed root under the old signature.
        JsonNode entry = p.get("entry").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) entry.get("event")).put("outcome", "DENIED");
        assertFalse(Merkle.verifyInclusion(seq - 1, size, AuditEntry.fromJson(entry).leafHash(), path, root));
        if (size > 1) {
            assertFalse(Merkle.verifyInclusion(seq == 1 ? 1 : seq - 2, size, leaf, path, root));
        }
        if (!path.isEmpty()) {
            List<byte[]> forged = new ArrayList<>(path);
            byte[] h = forged.get(0).clone();
            h[0] ^= 1;
            forged.set(0, h);
            assertFalse(Merkle.verifyInclusion(seq - 1, size, leaf, forged, root));
        }
        byte[] otherRoot = root.clone();
        otherRoot[5] ^= 1;
        SignedTreeHead rewritten = new SignedTreeHead(new TreeHead(size, Hex.of(otherRoot), head.head().timestamp(),
                head.head().keyId()), head.signature());
        assertFalse(outsider.verify(rewritten), "a root changed under an old signature is refused");

        given().header("Authorization", "Bearer " + compliance()).get("/api/v1/audit/proofs/inclusion/" + UUID.randomUUID())
                .then().statusCode(404);
        given().header("Authorization", "Bearer " + compliance()).get("/api/v1/audit/proofs/inclusion/not-a-uuid")
                .then().statusCode(400);
    }

    @Test
    void aConsistencyProofBetweenTwoSignedHeadsVerifiesAndAForgedOneDoesNot() throws Exception {
        UUID first = send(event("it.proof", "test", "consistency-" + UUID.randomUUID(), "tester"));
        awaitStored(first);
        SignedTreeHead h1 = SignedTreeHead.fromJson(inclusion(first).get("treeHead"));
        UUID second = send(event("it.proof", "test", "consistency-" + UUID.randomUUID(), "tester"));
        awaitStored(second);
        SignedTreeHead h2 = SignedTreeHead.fromJson(inclusion(second).get("treeHead"));
        long m = h1.head().treeSize();
        long n = h2.head().treeSize();
        assertTrue(n > m, "the second head covers more records");
        assertTrue(outsider.verify(h1) && outsider.verify(h2));
        JsonNode c = JSON.readTree(given().header("Authorization", "Bearer " + compliance())
                .queryParam("first", m).queryParam("second", n)
                .get("/api/v1/audit/proofs/consistency").then().statusCode(200).extract().asString());
        List<byte[]> proof = hexes(c.get("proof"));
        byte[] r1 = Hex.parse(h1.head().rootHash());
        byte[] r2 = Hex.parse(h2.head().rootHash());
        assertTrue(Merkle.verifyConsistency(m, n, r1, r2, proof), "consistency between the two signed heads");
        assertFalse(proof.isEmpty());
        List<byte[]> forged = new ArrayList<>(proof);
        byte[] x = forged.get(forged.size() - 1).clone();
        x[31] ^= 1;
        forged.set(forged.size() - 1, x);
        assertFalse(Merkle.verifyConsistency(m, n, r1, r2, forged), "forged proof");
        assertFalse(Merkle.verifyConsistency(m, n, r2, r1, proof), "swapped roots");

        given().header("Authorization", "Bearer " + compliance()).queryParam("first", n).queryParam("second", m)
                .get("/api/v1/audit/proofs/consistency").then().statusCode(400);
    }

    private static JsonNode inclusion(UUID id) throws Exception {
        return JSON.readTree(given().header("Authorization", "Bearer " + compliance())
                .get("/api/v1/audit/proofs/inclusion/" + id).then().statusCode(200).extract().asString());
    }

    private static List<byte[]> hexes(JsonNode arr) {
        List<byte[]> out = new ArrayList<>();
        arr.forEach(n -> out.add(Hex.parse(n.asText())));
        return out;
    }
}
