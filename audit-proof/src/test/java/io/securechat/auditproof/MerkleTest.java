package io.securechat.auditproof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MerkleTest {
    // Certificate Transparency / RFC 6962 reference data, as published in transparency-dev/merkle
    // (proof/verify_test.go) and certificate-transparency-go: eight leaves, the root of every prefix,
    // and some inclusion and consistency proofs. Hashing is the same in RFC 9162.
    private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f"};
    private static final String EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String[] ROOTS = {
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    /** {leaf (1-based), tree size, path...}. */
    private static final String[][] INCLUSION = {
            {"1", "8", "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
            {"6", "8", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"},
            {"3", "3", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"},
            {"2", "5", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}};

    /** {size1, size2, proof...}. */
    private static final String[][] CONSISTENCY = {
            {"1", "8", "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
            {"6", "8", "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"},
            {"2", "5", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"},
            {"6", "7", "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}};

    private static List<byte[]> ctLeafHashes() {
        List<byte[]> l = new ArrayList<>();
        for (String d : LEAVES) {
            l.add(Merkle.leafHash(Hex.parse(d)));
        }
        return l;
    }

    private static MerkleLog logOf(List<byte[]> leafHashes) {
        MerkleLog log = new MerkleLog();
        leafHashes.forEach(log::append);
        return log;
    }

    private static List<byte[]> hexList(String[] row, int from) {
        List<byte[]> l = new ArrayList<>();
        for (int i = from; i < row.length; i++) {
            l.add(Hex.parse(row[i]));
        }
        return l;
    }

    private static List<byte[]> syntheticLeaves(int n) {
        List<byte[]> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(Merkle.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return l;
    }

    @Test
    void emptyRootIsSha256OfNothing() {
        assertEquals(EMPTY_ROOT, Hex.of(Merkle.emptyRoot()));
        assertEquals(EMPTY_ROOT, Hex.of(Merkle.root(List.of())));
        assertEquals(EMPTY_ROOT, Hex.of(new MerkleLog().root(0)));
    }

    @Test
    void rootsMatchCertificateTransparencyVectors() {
        List<byte[]> leaves = ctLeafHashes();
        MerkleLog log = logOf(leaves);
        for (int n = 1; n <= 8; n++) {
            assertEquals(ROOTS[n - 1], Hex.of(Merkle.root(leaves.subList(0, n))), "reference root of size " + n);
            assertEquals(ROOTS[n - 1], Hex.of(log.root(n)), "MerkleLog root of size " + n);
        }
    }

    @Test
    void leafAndNodePrefixesAreRfc9162s() {
        // Size 1 root = leaf hash of the empty string; size 2 = node hash of the first two leaves.
        assertEquals(ROOTS[0], Hex.of(Merkle.leafHash(new byte[0])));
        List<byte[]> l = ctLeafHashes();
        assertEquals(ROOTS[1], Hex.of(Merkle.nodeHash(l.get(0), l.get(1))));
    }

    @Test
    void inclusionVectorsVerifyAndAreWhatMerkleLogProduces() {
        List<byte[]> leaves = ctLeafHashes();
        MerkleLog log = logOf(leaves);
        for (String[] v : INCLUSION) {
            int index = Integer.parseInt(v[0]) - 1;
            int size = Integer.parseInt(v[1]);
            List<byte[]> path = hexList(v, 2);
            byte[] root = Hex.parse(ROOTS[size - 1]);
            assertTrue(Merkle.verifyInclusion(index, size, leaves.get(index), path, root), "vector " + v[0] + "/" + v[1]);
            assertEquals(hexOf(path), hexOf(log.inclusionProof(index, size)), "MerkleLog path " + v[0] + "/" + v[1]);
        }
    }

    @Test
    void consistencyVectorsVerifyAndAreWhatMerkleLogProduces() {
        MerkleLog log = logOf(ctLeafHashes());
        for (String[] v : CONSISTENCY) {
            int m = Integer.parseInt(v[0]);
            int n = Integer.parseInt(v[1]);
            List<byte[]> proof = hexList(v, 2);
            assertTrue(Merkle.verifyConsistency(m, n, Hex.parse(ROOTS[m - 1]), Hex.parse(ROOTS[n - 1]), proof), "vector " + m + "/" + n);
            assertEquals(hexOf(proof), hexOf(log.consistencyProof(m, n)), "MerkleLog proof " + m + "/" + n);
        }
    }

    @Test
    void merkleLogAgreesWithTheReferenceForEverySizeUpTo70() {
        List<byte[]> leaves = syntheticLeaves(70);
        MerkleLog log = new MerkleLog();
        for (int n = 1; n <= 70; n++) {
            log.append(leaves.get(n - 1));
            assertEquals(n, log.size());
            // The root of the current size, and of every earlier size from the same log.
            assertEquals(Hex.of(Merkle.root(leaves.subList(0, n))), Hex.of(log.root(n)), "root of size " + n);
        }
        for (int n = 0; n <= 70; n++) {
            assertEquals(Hex.of(Merkle.root(leaves.subList(0, n))), Hex.of(log.root(n)), "historical root of size " + n);
        }
        for (int i = 0; i < 70; i++) {
            assertArrayEquals(leaves.get(i), log.leafHash(i));
        }
    }

    @Test
    void everyInclusionProofVerifiesAndForgeriesDoNot() {
        int max = 40;
        List<byte[]> leaves = syntheticLeaves(max);
        MerkleLog log = logOf(leaves);
        byte[] other = Merkle.leafHash("not in the tree".getBytes(StandardCharsets.UTF_8));
        for (int n = 1; n <= max; n++) {
            byte[] root = log.root(n);
            for (int m = 0; m < n; m++) {
                String at = " (leaf " + m + ", size " + n + ")";
                List<byte[]> path = log.inclusionProof(m, n);
                byte[] leaf = leaves.get(m);
                assertTrue(Merkle.verifyInclusion(m, n, leaf, path, root), "valid" + at);

                for (int i = 0; i < path.size(); i++) {
                    List<byte[]> forged = copy(path);
                    forged.set(i, flip(forged.get(i), 8));
                    assertFalse(Merkle.verifyInclusion(m, n, leaf, forged, root), "flipped byte in path[" + i + "]" + at);
                }
                if (m + 1 < n) {
                    assertFalse(Merkle.verifyInclusion(m + 1, n, leaf, path, root), "index + 1" + at);
                }
                if (m > 0) {
                    assertFalse(Merkle.verifyInclusion(m - 1, n, leaf, path, root), "index - 1" + at);
                }
                assertFalse(Merkle.verifyInclusion(m, n * 2L, leaf, path, root), "size * 2" + at);
                if (m < n / 2) {
                    assertFalse(Merkle.verifyInclusion(m, n / 2, leaf, path, root), "size / 2" + at);
                }
                assertFalse(Merkle.verifyInclusion(m, n, other, path, root), "another leaf" + at);
                assertFalse(Merkle.verifyInclusion(m, n, leaf, path, flip(root, 1)), "another root" + at);
                if (!path.isEmpty()) {
                    assertFalse(Merkle.verifyInclusion(m, n, leaf, path.subList(0, path.size() - 1), root), "truncated" + at);
                }
                List<byte[]> extended = copy(path);
                extended.add(root);
                assertFalse(Merkle.verifyInclusion(m, n, leaf, extended, root), "extended" + at);
                List<byte[]> prepended = copy(path);
                prepended.add(0, leaf);
                assertFalse(Merkle.verifyInclusion(m, n, leaf, prepended, root), "prepended" + at);
            }
            assertFalse(Merkle.verifyInclusion(n, n, leaves.get(0), log.inclusionProof(0, n), root), "index == size");
            assertFalse(Merkle.verifyInclusion(-1, n, leaves.get(0), log.inclusionProof(0, n), root), "negative index");
        }
    }

    @Test
    void everyConsistencyProofVerifiesAndForgeriesDoNot() {
        int max = 40;
        MerkleLog log = logOf(syntheticLeaves(max));
        for (int n = 1; n <= max; n++) {
            byte[] root2 = log.root(n);
            for (int m = 1; m <= n; m++) {
                String at = " (" + m + " -> " + n + ")";
                byte[] root1 = log.root(m);
                List<byte[]> proof = log.consistencyProof(m, n);
                assertTrue(Merkle.verifyConsistency(m, n, root1, root2, proof), "valid" + at);
                if (m == n) {
                    assertTrue(proof.isEmpty(), "equal sizes need no proof" + at);
                    assertFalse(Merkle.verifyConsistency(m, n, root1, flip(root2, 0), proof), "equal sizes, other root" + at);
                    assertFalse(Merkle.verifyConsistency(m, n, root1, root2, List.of(root1)), "equal sizes, non-empty proof" + at);
                    continue;
                }
                for (int i = 0; i < proof.size(); i++) {
                    List<byte[]> forged = copy(proof);
                    forged.set(i, flip(forged.get(i), 16));
                    assertFalse(Merkle.verifyConsistency(m, n, root1, root2, forged), "flipped byte in proof[" + i + "]" + at);
                }
                assertFalse(Merkle.verifyConsistency(m, n, root2, root1, proof), "swapped roots" + at);
                assertFalse(Merkle.verifyConsistency(m, n, flip(root1, 3), root2, proof), "wrong root1" + at);
                assertFalse(Merkle.verifyConsistency(m, n, root1, flip(root2, 3), proof), "wrong root2" + at);
                assertFalse(Merkle.verifyConsistency(m, n, root1, root2, List.of()), "empty proof" + at);
                assertFalse(Merkle.verifyConsistency(m, n, root1, root2, proof.subList(0, proof.size() - 1)), "truncated" + at);
                List<byte[]> extended = copy(proof);
                extended.add(root2);
                assertFalse(Merkle.verifyConsistency(m, n, root1, root2, extended), "extended" + at);
                List<byte[]> prepended = copy(proof);
                prepended.add(0, proof.get(0));
                assertFalse(Merkle.verifyConsistency(m, n, root1, root2, prepended), "prepended" + at);
                if (m > 1) {
                    assertFalse(Merkle.verifyConsistency(m - 1, n, root1, root2, proof), "size1 - 1" + at);
                }
                assertFalse(Merkle.verifyConsistency(m + 1, n, root1, root2, proof), "size1 + 1" + at);
                assertFalse(Merkle.verifyConsistency(m, n * 2L, root1, root2, proof), "size2 * 2" + at);
                assertFalse(Merkle.verifyConsistency(n, m, root2, root1, proof), "sizes reversed" + at);
            }
        }
    }

    @Test
    void trivialConsistencyCasesFollowCertificateTransparency() {
        byte[] a = Hex.parse(ROOTS[0]);
        byte[] b = Hex.parse(ROOTS[1]);
        assertTrue(Merkle.verifyConsistency(0, 5, Merkle.emptyRoot(), b, List.of()));
        assertFalse(Merkle.verifyConsistency(0, 5, Merkle.emptyRoot(), b, List.of(a)));
        assertTrue(Merkle.verifyConsistency(1, 1, a, a, List.of()));
        assertFalse(Merkle.verifyConsistency(1, 1, a, b, List.of()));
        assertFalse(Merkle.verifyConsistency(2, 1, a, b, List.of()));
        assertFalse(Merkle.verifyConsistency(1, 2, a, b, List.of()));
    }

    @Test
    void merkleLogRejectsOutOfRangeRequests() {
        MerkleLog log = logOf(syntheticLeaves(5));
        assertThrows(IllegalArgumentException.class, () -> log.root(6));
        assertThrows(IllegalArgumentException.class, () -> log.inclusionProof(5, 5));
        assertThrows(IllegalArgumentException.class, () -> log.inclusionProof(0, 6));
        assertThrows(IllegalArgumentException.class, () -> log.consistencyProof(0, 5));
        assertThrows(IllegalArgumentException.class, () -> log.consistencyProof(4, 3));
        assertThrows(IllegalArgumentException.class, () -> log.consistencyProof(1, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> log.leafHash(5));
        assertThrows(IllegalArgumentException.class, () -> log.append(new byte[31]));
    }

    @Test
    void largeLogStaysCheapForAnySize() {
        // 2^17 + 3 leaves: the chunked storage crosses a chunk boundary, and historical roots and
        // proofs are answered without rehashing the leaves (this would take far longer at O(n) each).
        int n = (1 << 17) + 3;
        MerkleLog log = new MerkleLog();
        List<byte[]> firstLeaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] leaf = Merkle.leafHash(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)});
            if (i < 1000) {
                firstLeaves.add(leaf);
            }
            log.append(leaf);
        }
        assertEquals(Hex.of(Merkle.root(firstLeaves)), Hex.of(log.root(1000)));
        long started = System.nanoTime();
        for (long size = n; size > n - 2000; size--) {
            byte[] root = log.root(size);
            long leaf = size / 3;
            assertTrue(Merkle.verifyInclusion(leaf, size, log.leafHash(leaf), log.inclusionProof(leaf, size), root));
            assertTrue(Merkle.verifyConsistency(size / 2 + 1, size, log.root(size / 2 + 1), root, log.consistencyProof(size / 2 + 1, size)));
        }
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 20, "2000 roots and proofs took too long");
    }

    @Test
    void concurrentAppendsAndReadsAreConsistent() throws Exception {
        List<byte[]> leaves = syntheticLeaves(2000);
        MerkleLog log = new MerkleLog();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        var writer = pool.submit(() -> leaves.forEach(log::append));
        var reader = pool.submit(() -> {
            while (log.size() < leaves.size()) {
                long size = log.size();
                if (size > 0) {
                    long i = size - 1;
                    if (!Merkle.verifyInclusion(i, size, leaves.get((int) i), log.inclusionProof(i, size), log.root(size))) {
                        return false;
                    }
                }
            }
            return true;
        });
        writer.get(30, TimeUnit.SECONDS);
        assertTrue(reader.get(30, TimeUnit.SECONDS));
        pool.shutdown();
        assertEquals(Hex.of(Merkle.root(leaves)), Hex.of(log.root(2000)));
    }

    private static List<byte[]> copy(List<byte[]> l) {
        return new ArrayList<>(l);
    }

    private static byte[] flip(byte[] h, int bit) {
        byte[] c = h.clone();
        c[0] ^= (byte) (1 << (bit % 8));
        return c;
    }

    private static List<String> hexOf(List<byte[]> l) {
        return l.stream().map(Hex::of).toList();
    }
}
