package io.securechat.auditproof;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Verifies an NDJSON audit export offline, and is the command-line verifier.
 *
 * <p>Streams: memory does not grow with the number of records, except for the O(log n) stack that
 * recomputes the root of a complete export and the list of gaps found.
 */
public final class ExportVerifier {
    public static final String FORMAT = "securechat-audit-export/1";
    /** Beyond this the report only counts problems: an export rewritten wholesale would otherwise flood it. */
    static final int MAX_LISTED_PROBLEMS = 1000;
    static final long PROGRESS_EVERY = 100_000;

    static final String USAGE = "usage: ExportVerifier EXPORT --public-key FILE [--tree-head FILE]\n"
            + "  EXPORT       NDJSON from GET /api/v1/audit/export?format=ndjson (- for standard input)\n"
            + "  --public-key the log's Ed25519 public key: base64 of the raw 32 bytes, or JSON {\"publicKey\":\"...\"}\n"
            + "  --tree-head  a signed tree head obtained separately (JSON); the export must carry the same one\n"
            + "exit status: 0 verified, 1 problems found, 2 usage error or unreadable input";

    private static final ObjectReader JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .reader();

    private ExportVerifier() {
    }

    /** The outcome. problems() lists at most the first 1000; the summary counts them all. */
    public record Report(boolean ok, long records, List<String> problems, String summary) {
        public Report {
            problems = List.copyOf(problems);
        }
    }

    /** @throws UncheckedIOException when the reader fails (not when its content is wrong: that is a problem in the report) */
    public static Report verify(Reader ndjson, byte[] publicKey, SignedTreeHead externalHeadOrNull) {
        return verify(ndjson, publicKey, externalHeadOrNull, null);
    }

    /** As {@link #verify(Reader, byte[], SignedTreeHead)}, calling progress with the record count every 100,000 records. */
    public static Report verify(Reader ndjson, byte[] publicKey, SignedTreeHead externalHeadOrNull, LongConsumer progress) {
        Run run = new Run(TreeHeadVerifier.of(publicKey), externalHeadOrNull, progress);
        BufferedReader in = ndjson instanceof BufferedReader b ? b : new BufferedReader(ndjson, 1 << 16);
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (!run.line(line)) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run.finish();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String export = null;
        String keyFile = null;
        String headFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--public-key", "--tree-head" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, a + " needs a file");
                    }
                    if (a.equals("--public-key")) {
                        keyFile = args[++i];
                    } else {
                        headFile = args[++i];
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        return usage(err, "unknown option " + a);
                    }
                    if (export != null) {
                        return usage(err, "only one EXPORT file, got " + export + " and " + a);
                    }
                    export = a;
                }
            }
        }
        if (export == null) {
            return usage(err, "the EXPORT file is missing");
        }
        if (keyFile == null) {
            return usage(err, "--public-key FILE is missing");
        }
        byte[] key;
        SignedTreeHead external = null;
        try {
            key = PublicKeys.read(Path.of(keyFile));
            if (headFile != null) {
                external = readTreeHead(Path.of(headFile));
            }
        } catch (UncheckedIOException | IllegalArgumentException e) {
            err.println("audit-verify: " + e.getMessage());
            return 2;
        }
        Report report;
        try (Reader reader = open(export)) {
            LongConsumer progress = n -> err.println("audit-verify: " + n + " records checked");
            report = verify(reader, key, external, progress);
        } catch (NoSuchFileException e) {
            err.println("audit-verify: no such file: " + export);
            return 2;
        } catch (IOException | UncheckedIOException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            String why = cause instanceof CharacterCodingException ? "it is not UTF-8 text" : String.valueOf(cause.getMessage());
            err.println("audit-verify: cannot read " + export + ": " + why);
            return 2;
        }
        for (String p : report.problems()) {
            out.println(p);
        }
        out.println(report.summary());
        return report.ok() ? 0 : 1;
    }

    private static int usage(PrintStream err, String why) {
        err.println("audit-verify: " + why);
        err.println(USAGE);
        return 2;
    }

    private static Reader open(String export) throws IOException {
        // Strict decoding: a byte that is not UTF-8 must fail loudly, not hash as U+FFFD.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        if (export.equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, decoder), 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(Files.newInputStream(Path.of(export)), decoder), 1 << 16);
    }

    /** A flat signed tree head, or an object wrapping one in "treeHead" (an export header or an API response). */
    static SignedTreeHead readTreeHead(Path p) {
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tree head file " + p + ": " + e.getMessage(), e);
        }
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tree head file " + p + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (n != null && n.path("treeHead").isObject()) {
            n = n.get("treeHead");
        }
        try {
            return SignedTreeHead.fromJson(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tree head file " + p + ": " + e.getMessage(), e);
        }
    }

    /** One pass over an export. Line numbers are 1-based and count blank lines. */
    private static final class Run {
        private final TreeHeadVerifier verifier;
        private final SignedTreeHead external;
        private final LongConsumer progress;

        private final List<String> problems = new ArrayList<>();
        private long problemCount;
        private boolean recordProblems;

        private long lineNo;
        private long lastContentLine;
        private boolean headerSeen;
        private boolean stop;

        private SignedTreeHead head;
        private byte[] signedRoot;
        private long treeSize = -1;
        private boolean complete;

        private long records;
        private long lastSeq;
        private long lastSeqLine;
        private String lastHash;
        /** Complete exports: missing seq ranges so far, first -> last; a record found later out of order fills its gap. */
        private final TreeMap<Long, Long> gaps = new TreeMap<>();
        /** Complete exports: leaves in order 1..n folded into complete subtrees (an O(log n) stack). */
        private final List<byte[]> rootStack = new ArrayList<>();
        private final List<Long> rootStackSizes = new ArrayList<>();
        private long rootLeaves;
        private boolean rootUsable = true;

        private long trailerLine = -1;
        private boolean afterTrailerReported;

        Run(TreeHeadVerifier verifier, SignedTreeHead external, LongConsumer progress) {
            this.verifier = verifier;
            this.external = external;
            this.progress = progress;
        }

        /** @return false to stop reading (the format is not one this verifier understands) */
        boolean line(String line) {
            lineNo++;
            if (line.isBlank()) {
                return true;
            }
            lastContentLine = lineNo;
            if (trailerLine > 0) {
                if (!afterTrailerReported) {
                    problem("line " + lineNo + ": content after the trailer (line " + trailerLine + ")");
                    afterTrailerReported = true;
                }
                return true;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                problem("line " + lineNo + ": not valid JSON (" + printable(firstLine(e.getOriginalMessage())) + ")");
                if (!headerSeen) {
                    headerSeen = true;
                    problem("line " + lineNo + ": the export header is unreadable, so nothing can be checked against a signed tree head");
                } else {
                    recordProblem();
                }
                return true;
            }
            if (node == null || !node.isObject()) {
                problem("line " + lineNo + ": expected a JSON object");
                if (!headerSeen) {
                    headerSeen = true;
                    problem("line " + lineNo + ": the export header is unreadable, so nothing can be checked against a signed tree head");
                } else {
                    recordProblem();
                }
                return true;
            }
            if (!headerSeen) {
                headerSeen = true;
                if (node.has("format")) {
                    header(node);
                    return !stop;
                }
                problem("line " + lineNo + ": the export has no header (expected {\"format\":\"" + FORMAT + "\",...}), so nothing can be checked against a signed tree head");
            }
            if (node.has("trailer")) {
                trailer(node);
            } else if (node.has("entry")) {
                record(node);
            } else {
                problem("line " + lineNo + ": neither a record (\"entry\") nor the trailer");
            }
            return true;
        }

        private void header(JsonNode h) {
            JsonNode format = h.get("format");
            if (!format.isTextual() || !FORMAT.equals(format.textValue())) {
                problem("line " + lineNo + ": unknown export format " + printable(format.toString()) + " (this verifier reads \"" + FORMAT + "\")");
                stop = true;
                return;
            }
            JsonNode c = h.get("complete");
            if (c == null || !c.isBoolean()) {
                problem("line " + lineNo + ": the header's \"complete\" must be true or false, got " + (c == null ? "nothing" : printable(c.toString())));
            } else {
                complete = c.booleanValue();
            }
            try {
                head = SignedTreeHead.fromJson(h.get("treeHead"));
            } catch (IllegalArgumentException e) {
                problem("line " + lineNo + ": the header's tree head is unusable: " + printable(e.getMessage()));
                if (external != null) {
                    problem("the export has no usable tree head to compare with the one given");
                }
                return;
            }
            TreeHead th = head.head();
            treeSize = th.treeSize();
            signedRoot = Hex.parse(th.rootHash());
            if (!th.keyId().equals(verifier.keyId())) {
                problem("line " + lineNo + ": the tree head is signed by key " + printable(th.keyId()) + " but the public key given is key "
                        + verifier.keyId() + ": wrong public key, or an export from another log");
            } else if (!verifier.verify(head)) {
                problem("line " + lineNo + ": the tree head's signature does not verify with key " + verifier.keyId()
                        + ": the tree head was changed after it was signed");
            }
            if (external != null) {
                TreeHead ext = external.head();
                if (!verifier.verify(external)) {
                    problem(ext.keyId().equals(verifier.keyId())
                            ? "the tree head given (--tree-head) has an invalid signature"
                            : "the tree head given (--tree-head) is signed by key " + printable(ext.keyId()) + ", not by key " + verifier.keyId());
                }
                if (ext.treeSize() != th.treeSize() || !ext.rootHash().equals(th.rootHash())) {
                    problem("the export's tree head (size " + th.treeSize() + ", root " + th.rootHash()
                            + ") is not the tree head given (size " + ext.treeSize() + ", root " + ext.rootHash() + ")");
                }
            }
        }

        private void record(JsonNode node) {
            records++;
            if (progress != null && records % PROGRESS_EVERY == 0) {
                progress.accept(records);
            }
            JsonNode raw = node.get("entry");
            long seqHint = raw.path("seq").isIntegralNumber() && raw.path("seq").canConvertToLong() ? raw.get("seq").longValue() : Long.MIN_VALUE;
            String eventId = raw.path("event").path("eventId").isTextual() ? raw.get("event").get("eventId").textValue() : null;
            String where = label(seqHint == Long.MIN_VALUE ? null : seqHint, eventId);

            AuditEntry e;
            try {
                e = AuditEntry.fromJson(raw);
            } catch (IllegalArgumentException ex) {
                problem(where + ": malformed record: " + printable(ex.getMessage()));
                recordProblem();
                if (seqHint > 0) {
                    // Its position is still known: account for it so it is not also reported as missing.
                    position(seqHint, where, null, null);
                }
                return;
            }

            byte[] canonical;
            try {
                canonical = e.canonicalBytes();
            } catch (IllegalArgumentException ex) {
                problem(where + ": the record cannot be canonicalized: " + printable(ex.getMessage()));
                recordProblem();
                position(e.seq(), where, null, null);
                return;
            }
            String computed = Hex.of(Sha256.of(canonical));
            byte[] leaf = Merkle.leafHash(canonical);

            JsonNode hashNode = node.get("hash");
            String stored = hashNode != null && hashNode.isTextual() && Hex.isHash(hashNode.textValue()) ? hashNode.textValue() : null;
            boolean altered = false;
            if (stored == null) {
                problem(where + ": the record has no valid \"hash\" (64 lowercase hex characters)");
                recordProblem();
            } else if (!stored.equals(computed)) {
                problem(where + ": the record does not match its hash: changed after it was written");
                recordProblem();
                altered = true;
            }

            boolean inTree = true;
            if (e.seq() <= 0) {
                problem(where + ": seq must be positive");
                recordProblem();
                return;
            }
            if (treeSize >= 0 && e.seq() > treeSize) {
                problem(where + ": seq " + e.seq() + " is beyond the signed tree head (size " + treeSize + "), which does not cover it");
                recordProblem();
                inTree = false;
            }

            // The chain continues from the stored hash: a changed record is reported once, above, not
            // again as a broken link from its successor.
            boolean inOrder = position(e.seq(), where, e, stored != null ? stored : computed);

            if (inTree && signedRoot != null) {
                List<byte[]> path = inclusion(node.get("inclusion"));
                if (path == null) {
                    problem(where + ": \"inclusion\" must be an array of 64-character lowercase hex hashes");
                    recordProblem();
                } else if (!Merkle.verifyInclusion(e.seq() - 1, treeSize, leaf, path, signedRoot) && !altered) {
                    // A changed record cannot verify either; that was already said more precisely.
                    problem(where + ": not included in the signed tree head (its inclusion proof does not verify against root "
                            + head.head().rootHash() + " of size " + treeSize + ")");
                    recordProblem();
                }
            }
            if (complete && inOrder && rootUsable) {
                pushLeaf(leaf);
            }
        }

        /**
         * Ordering, gaps and the hash chain. entry and hash are null when the record is unreadable.
         *
         * @return whether this record came exactly after the previous one
         */
        private boolean position(long seq, String where, AuditEntry entry, String hash) {
            if (seq <= lastSeq) {
                if (seq == lastSeq) {
                    problem(where + ": duplicate of seq " + seq + " (line " + lastSeqLine + ")");
                } else {
                    problem(where + ": out of order: seq " + seq + " comes after seq " + lastSeq + " (line " + lastSeqLine + ")");
                    fillGap(seq);
                }
                recordProblem();
                rootUsable = false;
                return false;
            }
            boolean next = seq == lastSeq + 1;
            if (!next && complete) {
                gaps.put(lastSeq + 1, seq - 1);
                rootUsable = false;
            }
            if (entry != null) {
                if (seq == 1 && !AuditEntry.GENESIS_PREV_HASH.equals(entry.prevHash())) {
                    problem(where + ": seq 1 must start the chain with the genesis prevHash (64 zeros), found " + entry.prevHash());
                    recordProblem();
                } else if (next && lastHash != null && !entry.prevHash().equals(lastHash)) {
                    problem(where + ": prevHash does not match the hash of seq " + lastSeq + " (line " + lastSeqLine + "): the hash chain is broken");
                    recordProblem();
                }
            } else {
                rootUsable = false;
            }
            lastSeq = seq;
            lastSeqLine = lineNo;
            lastHash = hash;
            return next;
        }

        private void fillGap(long seq) {
            Map.Entry<Long, Long> g = gaps.floorEntry(seq);
            if (g == null || g.getValue() < seq) {
                return;
            }
            gaps.remove(g.getKey());
            if (g.getKey() < seq) {
                gaps.put(g.getKey(), seq - 1);
            }
            if (seq < g.getValue()) {
                gaps.put(seq + 1, g.getValue());
            }
        }

        private void pushLeaf(byte[] leaf) {
            byte[] h = leaf;
            long size = 1;
            while (!rootStack.isEmpty() && rootStackSizes.get(rootStackSizes.size() - 1) == size) {
                h = Merkle.nodeHash(rootStack.remove(rootStack.size() - 1), h);
                rootStackSizes.remove(rootStackSizes.size() - 1);
                size *= 2;
            }
            rootStack.add(h);
            rootStackSizes.add(size);
            rootLeaves++;
        }

        /** MTH of the leaves pushed: the stack holds the complete subtrees of decreasing size, folded right to left. */
        private byte[] stackRoot() {
            if (rootStack.isEmpty()) {
                return Merkle.emptyRoot();
            }
            byte[] r = rootStack.get(rootStack.size() - 1);
            for (int i = rootStack.size() - 2; i >= 0; i--) {
                r = Merkle.nodeHash(rootStack.get(i), r);
            }
            return r;
        }

        private void trailer(JsonNode node) {
            trailerLine = lineNo;
            JsonNode k = node.get("trailer").get("records");
            if (k == null || !k.isIntegralNumber() || !k.canConvertToLong()) {
                problem("line " + lineNo + ": the trailer must be {\"trailer\":{\"records\":N}}");
            } else if (k.longValue() != records) {
                problem("line " + lineNo + ": the trailer says " + k.longValue() + " records but the export holds " + records);
            }
        }

        Report finish() {
            if (!stop) {
                if (!headerSeen) {
                    problem("the export is empty");
                } else {
                    if (complete && treeSize >= 0) {
                        if (lastSeq < treeSize) {
                            gaps.put(lastSeq + 1, treeSize);
                            rootUsable = false;
                        }
                        for (Map.Entry<Long, Long> g : gaps.entrySet()) {
                            long from = g.getKey();
                            long to = Math.min(g.getValue(), treeSize);
                            if (from > to) {
                                continue;
                            }
                            problem(from == to ? "record " + from + " is missing" : "records " + from + " to " + to + " are missing");
                            recordProblem();
                        }
                        // With every record present, in order and included, the roots agree by construction;
                        // this recomputation is the independent check that the proofs were not all forged alike.
                        if (rootUsable && !recordProblems && rootLeaves == treeSize) {
                            String root = Hex.of(stackRoot());
                            if (!root.equals(head.head().rootHash())) {
                                problem("the root recomputed from all " + treeSize + " records is " + root
                                        + ", not the signed root " + head.head().rootHash());
                            }
                        }
                    }
                    if (trailerLine < 0) {
                        problem("the export is cut short after line " + lastContentLine + ": it has no trailer");
                    }
                }
            }
            boolean ok = problemCount == 0;
            List<String> listed = new ArrayList<>(problems);
            if (problemCount > problems.size()) {
                listed.add("... and " + (problemCount - problems.size()) + " more problem(s) not listed");
            }
            String summary;
            if (ok) {
                TreeHead th = head.head();
                // "complete" is not covered by the signature: say plainly what a partial export proves.
                String signed = " (root " + th.rootHash() + ", key " + th.keyId() + ", signed at " + th.timestamp() + ")";
                summary = complete
                        ? "OK: " + records + " records verified against the tree head of size " + th.treeSize() + signed
                                + ": the complete log"
                        : "OK: " + records + " records verified against the tree head of size " + th.treeSize() + signed
                                + ": a partial export; each record is proven included, records left out are not checked";
            } else {
                summary = "FAILED: " + problemCount + " problem(s)";
            }
            return new Report(ok, records, listed, summary);
        }

        private static List<byte[]> inclusion(JsonNode n) {
            if (n == null || !n.isArray()) {
                return null;
            }
            List<byte[]> path = new ArrayList<>(n.size());
            for (JsonNode h : n) {
                if (!h.isTextual() || !Hex.isHash(h.textValue())) {
                    return null;
                }
                path.add(Hex.parse(h.textValue()));
            }
            return path;
        }

        private String label(Long seq, String eventId) {
            StringBuilder b = new StringBuilder("line ").append(lineNo);
            if (seq != null || eventId != null) {
                b.append(" (");
                if (seq != null) {
                    b.append("seq ").append(seq);
                }
                if (eventId != null) {
                    b.append(seq != null ? ", " : "").append("eventId ").append(printable(eventId));
                }
                b.append(')');
            }
            return b.toString();
        }

        private void recordProblem() {
            recordProblems = true;
        }

        private void problem(String p) {
            problemCount++;
            if (problems.size() < MAX_LISTED_PROBLEMS) {
                problems.add(p);
            }
        }

        /** The export is untrusted input printed to a terminal: no control characters, bounded length. */
        private static String printable(String s) {
            StringBuilder b = new StringBuilder();
            s.codePoints().limit(100).forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
            return s.codePointCount(0, s.length()) > 100 ? b + "…" : b.toString();
        }

        private static String firstLine(String s) {
            if (s == null) {
                return "unparseable";
            }
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }
}
