package io.securechat.moderation.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Byte signatures matched in one pass over a stream (Aho-Corasick): a {@link Matcher} keeps
 * only its automaton state between buffers, so a signature cut by a buffer boundary is found all
 * the same, and the cost is one step per byte whatever the number of signatures. Immutable and
 * shared; each stream gets its own {@link Matcher}.
 *
 * <p>The list format ({@code scan/signatures.tsv}, {@code chat.scan.signatures-file}): one
 * {@code name<TAB>pattern} per line, {@code #} comments and blank lines ignored; the pattern is
 * literal UTF-8 text, or {@code hex:} followed by hex digits. Names become reason codes
 * ({@code scan.signature.<name>}) and metric tags, hence the narrow alphabet.
 */
public final class Signatures {

    /** @param name the reason code's last part; {@code eicar} for the built-in EICAR test string */
    public record Signature(String name, byte[] pattern) {}

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    static final int MIN_LENGTH = 4;
    static final int MAX_LENGTH = 1024;

    /**
     * The EICAR anti-virus test file's 68 characters, kept as hex so this class (and the jar) is
     * not itself reported by a virus scanner on a developer's machine.
     */
    static final byte[] EICAR = HexFormat.of().parseHex("58354f2150254041505b345c505a58353428505e2937434329377d2445494341"
            + "522d5354414e444152442d414e544956495255532d544553542d46494c452124482b482a");
    public static final String EICAR_NAME = "eicar";

    private final List<Signature> signatures;
    /** Per state: the bytes with a goto edge, sorted, and their target states. */
    private final byte[][] edgeBytes;
    private final int[][] edgeTargets;
    /** The root's edges as a full table (most steps start there). */
    private final int[] root = new int[256];
    private final int[] fail;
    /** The first signature (index) ending at this state or at a state on its failure chain; -1 for none. */
    private final int[] output;

    public Signatures(List<Signature> signatures) {
        this.signatures = List.copyOf(signatures);
        // The trie, built with growable per-state edge lists.
        List<List<int[]>> edges = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        edges.add(new ArrayList<>());
        out.add(-1);
        for (int i = 0; i < this.signatures.size(); i++) {
            int state = 0;
            for (byte b : this.signatures.get(i).pattern()) {
                int next = find(edges.get(state), b);
                if (next < 0) {
                    next = edges.size();
                    edges.add(new ArrayList<>());
                    out.add(-1);
                    edges.get(state).add(new int[] {b & 0xFF, next});
                }
                state = next;
            }
            if (out.get(state) < 0) {
                out.set(state, i);
            }
        }
        int n = edges.size();
        edgeBytes = new byte[n][];
        edgeTargets = new int[n][];
        for (int s = 0; s < n; s++) {
            List<int[]> e = new ArrayList<>(edges.get(s));
            // Sorted as signed bytes, the order Arrays.binarySearch(byte[], byte) expects.
            e.sort((a, b) -> Byte.compare((byte) a[0], (byte) b[0]));
            edgeBytes[s] = new byte[e.size()];
            edgeTargets[s] = new int[e.size()];
            for (int k = 0; k < e.size(); k++) {
                edgeBytes[s][k] = (byte) e.get(k)[0];
                edgeTargets[s][k] = e.get(k)[1];
            }
        }
        output = out.stream().mapToInt(Integer::intValue).toArray();
        fail = new int[n];
        // Failure links breadth-first: a state's link is the longest proper suffix that is also a trie path.
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int k = 0; k < edgeBytes[0].length; k++) {
            int child = edgeTargets[0][k];
            root[edgeBytes[0][k] & 0xFF] = child;
            fail[child] = 0;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            for (int k = 0; k < edgeBytes[s].length; k++) {
                int child = edgeTargets[s][k];
                fail[child] = step(fail[s], edgeBytes[s][k]);
                if (output[child] < 0) {
                    output[child] = output[fail[child]];
                }
                queue.add(child);
            }
        }
    }

    private static int find(List<int[]> edges, byte b) {
        for (int[] e : edges) {
            if (e[0] == (b & 0xFF)) {
                return e[1];
            }
        }
        return -1;
    }

    private int step(int state, byte b) {
        while (true) {
            if (state == 0) {
                return root[b & 0xFF];
            }
            int k = Arrays.binarySearch(edgeBytes[state], b);
            if (k >= 0) {
                return edgeTargets[state][k];
            }
            state = fail[state];
        }
    }

    public List<Signature> list() {
        return signatures;
    }

    public Matcher matcher() {
        return new Matcher();
    }

    /** The state of one stream; not thread-safe. */
    public final class Matcher {
        private int state;
        private Signature found;

        /** Feeds bytes; returns the first signature found so far in the stream (it stays found), or null. */
        public Signature update(byte[] b, int off, int len) {
            if (found != null) {
                return found;
            }
            int s = state;
            for (int i = off; i < off + len; i++) {
                s = step(s, b[i]);
                if (output[s] >= 0) {
                    found = signatures.get(output[s]);
                    return found;
                }
            }
            state = s;
            return null;
        }

        public Signature found() {
            return found;
        }
    }

    /** The EICAR test string alone. */
    static Signature eicar() {
        return new Signature(EICAR_NAME, EICAR.clone());
    }

    /**
     * Parses a signature list.
     *
     * @param source named in errors (a path or resource), never the patterns
     * @throws IllegalArgumentException naming the line of the first malformed entry
     */
    public static List<Signature> parse(Reader reader, String source) throws IOException {
        List<Signature> out = new ArrayList<>();
        BufferedReader in = new BufferedReader(reader);
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new IllegalArgumentException(source + " line " + number + ": expected name<TAB>pattern");
            }
            String name = line.substring(0, tab).strip();
            String pattern = line.substring(tab + 1);
            if (!NAME.matcher(name).matches() || EICAR_NAME.equals(name)) {
                throw new IllegalArgumentException(source + " line " + number + ": the name must match " + NAME.pattern()
                        + " (and not be \"eicar\", which is built in)");
            }
            byte[] bytes;
            if (pattern.startsWith("hex:")) {
                try {
                    bytes = HexFormat.of().parseHex(pattern.substring(4).strip().replace(" ", ""));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + " line " + number + ": not hex after hex:");
                }
            } else {
                bytes = pattern.getBytes(StandardCharsets.UTF_8);
            }
            if (bytes.length < MIN_LENGTH || bytes.length > MAX_LENGTH) {
                throw new IllegalArgumentException(source + " line " + number + ": a pattern has " + MIN_LENGTH + " to "
                        + MAX_LENGTH + " bytes (shorter ones would match ordinary files)");
            }
            out.add(new Signature(name, bytes));
        }
        return out;
    }
}
