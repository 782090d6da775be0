package io.securechat.auditproof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Append-only in-memory Merkle tree over leaf hashes, caching complete aligned subtrees, so roots and
 * proofs for ANY tree size <= size() cost O(log^2 n) hashes, not O(n). Thread-safe (synchronized).
 *
 * <p>Level h keeps the hash of every complete subtree of 2^h leaves that starts at a multiple of 2^h.
 * Every left-hand split of the RFC 9162 recursion is such a subtree, for any tree size, so a root is
 * O(log n) lookups plus hashes down the right edge, and a proof is O(log n) such subtree hashes.
 * Memory: about two hashes (64 bytes) per leaf.
 */
public final class MerkleLog {
    private final List<HashStore> levels = new ArrayList<>();
    private long size;

    public MerkleLog() {
        levels.add(new HashStore());
    }

    public synchronized void append(byte[] leafHash) {
        if (leafHash == null || leafHash.length != Merkle.HASH_LEN) {
            throw new IllegalArgumentException("a leaf hash is 32 bytes, got " + (leafHash == null ? "null" : leafHash.length));
        }
        levels.get(0).add(leafHash);
        long index = size++;
        int h = 0;
        // Each time a right-hand child completes, its parent completes too.
        while ((index & 1) == 1) {
            byte[] parent = Merkle.nodeHash(levels.get(h).get(index - 1), levels.get(h).get(index));
            if (levels.size() == h + 1) {
                levels.add(new HashStore());
            }
            levels.get(h + 1).add(parent);
            index >>= 1;
            h++;
        }
    }

    public synchronized long size() {
        return size;
    }

    public synchronized byte[] leafHash(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("leaf index " + index + " is outside the log of size " + size);
        }
        return levels.get(0).get(index);
    }

    public synchronized byte[] root(long treeSize) {
        if (treeSize < 0 || treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " is outside 0.." + size);
        }
        return treeSize == 0 ? Merkle.emptyRoot() : subtree(0, treeSize);
    }

    /** RFC 9162 section 2.1.3.1 PATH(m, D[n]), leaf to root. */
    public synchronized List<byte[]> inclusionProof(long leafIndex, long treeSize) {
        if (treeSize < 1 || treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " is outside 1.." + size);
        }
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf index " + leafIndex + " is outside 0.." + (treeSize - 1));
        }
        List<byte[]> topDown = new ArrayList<>();
        long start = 0;
        long n = treeSize;
        while (n > 1) {
            long k = Merkle.largestPowerOfTwoBelow(n);
            if (leafIndex < start + k) {
                topDown.add(subtree(start + k, start + n));
                n = k;
            } else {
                topDown.add(subtree(start, start + k));
                start += k;
                n -= k;
            }
        }
        return reversed(topDown);
    }

    /** RFC 9162 section 2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
    public synchronized List<byte[]> consistencyProof(long size1, long size2) {
        if (size2 > size || size1 < 1 || size1 > size2) {
            throw new IllegalArgumentException("consistency proof needs 0 < size1 <= size2 <= " + size + ", got " + size1 + " and " + size2);
        }
        List<byte[]> topDown = new ArrayList<>();
        long m = size1;
        long start = 0;
        long n = size2;
        boolean b = true;
        while (m != n) {
            long k = Merkle.largestPowerOfTwoBelow(n);
            if (m <= k) {
                topDown.add(subtree(start + k, start + n));
                n = k;
            } else {
                topDown.add(subtree(start, start + k));
                m -= k;
                start += k;
                n -= k;
                b = false;
            }
        }
        if (!b) {
            topDown.add(subtree(start, start + n));
        }
        return reversed(topDown);
    }

    /** MTH(D[start:end]) for 0 <= start < end <= size. */
    private byte[] subtree(long start, long end) {
        long n = end - start;
        if (Long.bitCount(n) == 1 && start % n == 0) {
            return levels.get(Long.numberOfTrailingZeros(n)).get(start / n);
        }
        long k = Merkle.largestPowerOfTwoBelow(n);
        return Merkle.nodeHash(subtree(start, start + k), subtree(start + k, end));
    }

    private static List<byte[]> reversed(List<byte[]> l) {
        List<byte[]> out = new ArrayList<>(l.size());
        for (int i = l.size() - 1; i >= 0; i--) {
            out.add(l.get(i));
        }
        return out;
    }

    /** 32-byte hashes in fixed-size chunks: no per-hash object, and no single array limit of 2 GiB. */
    private static final class HashStore {
        private static final int CHUNK_SHIFT = 14;
        private static final int CHUNK_HASHES = 1 << CHUNK_SHIFT;
        private final List<byte[]> chunks = new ArrayList<>();
        private long count;

        void add(byte[] hash) {
            int offset = (int) (count & (CHUNK_HASHES - 1));
            if (offset == 0) {
                chunks.add(new byte[16 * Merkle.HASH_LEN]);
            }
            byte[] last = chunks.get(chunks.size() - 1);
            if (offset * Merkle.HASH_LEN == last.length) {
                // Grow the last chunk gradually so that small logs (and the many upper levels) stay small.
                last = Arrays.copyOf(last, Math.min(last.length * 2, CHUNK_HASHES * Merkle.HASH_LEN));
                chunks.set(chunks.size() - 1, last);
            }
            System.arraycopy(hash, 0, last, offset * Merkle.HASH_LEN, Merkle.HASH_LEN);
            count++;
        }

        byte[] get(long i) {
            byte[] chunk = chunks.get((int) (i >>> CHUNK_SHIFT));
            int offset = (int) (i & (CHUNK_HASHES - 1)) * Merkle.HASH_LEN;
            return Arrays.copyOfRange(chunk, offset, offset + Merkle.HASH_LEN);
        }
    }
}
