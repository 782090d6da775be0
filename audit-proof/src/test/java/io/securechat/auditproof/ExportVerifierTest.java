package io.securechat.auditproof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

class ExportVerifierTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final TreeHeadSigner SIGNER = TreeHeadSigner.fromKeysetJson(TreeHeadSigner.generateKeysetJson());
    static final byte[] KEY = SIGNER.publicKeyRaw();
    static final Instant SIGNED_AT = Instant.parse("2026-11-25T12:00:00Z");

    /** A log of n records, as audit-service keeps it. */
    static final class Log {
        final List<AuditEntry> entries = new ArrayList<>();
        final MerkleLog tree = new MerkleLog();

        Log(int n) {
            String prev = AuditEntry.GENESIS_PREV_HASH;
            for (long seq = 1; seq <= n; seq++) {
                ObjectNode event = JsonNodeFactory.instance.objectNode();
                event.put("eventId", "ev-" + seq);
                event.put("type", seq % 2 == 0 ? "message.sent" : "agent.login");
                event.put("actor", "agent" + (seq % 3));
                event.put("n", seq);
                AuditEntry e = new AuditEntry(seq, Instant.parse("2026-11-25T10:00:00Z").plusSeconds(seq).toString(), prev, event);
                entries.add(e);
                tree.append(e.leafHash());
                prev = Hex.of(e.chainHash());
            }
        }

        SignedTreeHead head(long size) {
            return SIGNER.sign(size, tree.root(size), SIGNED_AT);
        }

        /** The export lines for the records that pass the filter, against the head of the whole log. */
        List<String> export(boolean complete, LongPredicate filter) {
            return export(complete, filter, head(entries.size()));
        }

        List<String> export(boolean complete, LongPredicate filter, SignedTreeHead head) {
            List<String> lines = new ArrayList<>();
            ObjectNode header = JsonNodeFactory.instance.objectNode();
            header.put("format", "securechat-audit-export/1");
            header.put("exportedAt", "2026-11-25T12:00:01Z");
            header.put("complete", complete);
            header.putObject("query");
            header.set("treeHead", head.toJson());
            lines.add(header.toString());
            long n = 0;
            for (AuditEntry e : entries) {
                if (e.seq() > head.head().treeSize() || !filter.test(e.seq())) {
                    continue;
                }
                lines.add(recordLine(e, Hex.of(e.chainHash()), tree.inclusionProof(e.seq() - 1, head.head().treeSize())));
                n++;
            }
            lines.add("{\"trailer\":{\"records\":" + n + "}}");
            return lines;
        }

        List<String> complete() {
            return export(true, s -> true);
        }
    }

    static String recordLine(AuditEntry e, String hash, List<byte[]> inclusion) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.set("entry", e.toJson());
        line.put("hash", hash);
        ArrayNode path = line.putArray("inclusion");
        inclusion.forEach(h -> path.add(Hex.of(h)));
        return line.toString();
    }

    static ExportVerifier.Report verify(List<String> lines) {
        return verify(lines, KEY, null);
    }

    static ExportVerifier.Report verify(List<String> lines, byte[] key, SignedTreeHead external) {
        return ExportVerifier.verify(new StringReader(String.join("\n", lines) + "\n"), key, external);
    }

    static ObjectNode json(String line) {
        try {
            return (ObjectNode) MAPPER.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts the report fails with exactly these problems (each given by a fragment it must contain). */
    static void assertProblems(ExportVerifier.Report r, String... fragments) {
        assertFalse(r.ok(), "should fail: " + r);
        assertEquals(fragments.length, r.problems().size(), "problems: " + String.join("\n", r.problems()));
        for (int i = 0; i < fragments.length; i++) {
            assertTrue(r.problems().get(i).contains(fragments[i]), "problem " + i + " should contain \"" + fragments[i] + "\": " + r.problems().get(i));
        }
        assertEquals("FAILED: " + fragments.length + " problem(s)", r.summary());
    }

    @Test
    void untamperedCompleteExportVerifies() {
        Log log = new Log(10);
        ExportVerifier.Report r = verify(log.complete());
        assertTrue(r.ok(), String.join("\n", r.problems()));
        assertEquals(10, r.records());
        assertEquals(List.of(), r.problems());
        SignedTreeHead h = log.head(10);
        assertEquals("OK: 10 records verified against the tree head of size 10 (root " + h.head().rootHash() + ", key "
                + SIGNER.keyId() + ", signed at 2026-11-25T12:00:00Z): the complete log", r.summary());
    }

    @Test
    void filteredExportVerifiesWithGaps() {
        Log log = new Log(20);
        ExportVerifier.Report r = verify(log.export(false, s -> s == 1 || s == 5 || s == 6 || s == 19));
        assertTrue(r.ok(), String.join("\n", r.problems()));
        assertEquals(4, r.records());
        // The header's "complete" is not signed: the summary must not let a partial export pass for the whole log.
        assertTrue(r.summary().endsWith("a partial export; each record is proven included, records left out are not checked"),
                r.summary());
    }

    @Test
    void exportAgainstAnEarlierTreeHeadVerifies() {
        Log log = new Log(13);
        assertTrue(verify(log.export(true, s -> true, log.head(9))).ok());
        assertTrue(verify(log.export(true, s -> true, log.head(1))).ok());
    }

    @Test
    void emptyLogVerifies() {
        Log log = new Log(0);
        ExportVerifier.Report r = verify(log.complete());
        assertTrue(r.ok(), String.join("\n", r.problems()));
        assertTrue(r.summary().startsWith("OK: 0 records verified against the tree head of size 0"), r.summary());
    }

    @Test
    void changedFieldIsNamedWithLineSeqAndEventId() {
        List<String> lines = new Log(10).complete();
        ObjectNode line7 = json(lines.get(6));
        ((ObjectNode) line7.get("entry").get("event")).put("actor", "mallory");
        lines.set(6, line7.toString());
        assertProblems(verify(lines), "line 7 (seq 6, eventId ev-6): the record does not match its hash: changed after it was written");
    }

    @Test
    void changedRecordWithRecomputedHashIsNotIncludedAndBreaksTheChain() {
        Log log = new Log(10);
        List<String> lines = log.complete();
        AuditEntry orig = log.entries.get(5);
        ObjectNode event = orig.event().deepCopy();
        event.put("actor", "mallory");
        AuditEntry forged = new AuditEntry(6, orig.recordedAt(), orig.prevHash(), event);
        lines.set(6, recordLine(forged, Hex.of(forged.chainHash()), log.tree.inclusionProof(5, 10)));
        assertProblems(verify(lines),
                "line 7 (seq 6, eventId ev-6): not included in the signed tree head",
                "line 8 (seq 7, eventId ev-7): prevHash does not match the hash of seq 6 (line 7): the hash chain is broken");
    }

    @Test
    void deletedRecordsOfACompleteExportAreMissing() {
        List<String> lines = new Log(20).complete();
        lines.remove(5); // seq 5
        lines.set(lines.size() - 1, "{\"trailer\":{\"records\":19}}");
        assertProblems(verify(lines), "record 5 is missing");

        List<String> many = new Log(20).complete();
        many.subList(12, 15).clear(); // seq 12..14
        assertProblems(verify(many), "line 19: the trailer says 20 records but the export holds 17", "records 12 to 14 are missing");

        List<String> tail = new Log(20).complete();
        tail.subList(19, 21).clear(); // seq 19, 20
        tail.set(tail.size() - 1, "{\"trailer\":{\"records\":18}}");
        assertProblems(verify(tail), "records 19 to 20 are missing");
    }

    @Test
    void deletedRecordInAFilteredExportIsOnlyVisibleInTheCount() {
        List<String> lines = new Log(20).export(false, s -> s % 2 == 0);
        lines.remove(3);
        assertProblems(verify(lines), "the trailer says 10 records but the export holds 9");
    }

    @Test
    void swappedRecordsAreOutOfOrder() {
        List<String> lines = new Log(10).complete();
        String five = lines.get(5);
        lines.set(5, lines.get(6));
        lines.set(6, five);
        assertProblems(verify(lines), "line 7 (seq 5, eventId ev-5): out of order: seq 5 comes after seq 6 (line 6)");
    }

    @Test
    void duplicatedRecordIsReported() {
        List<String> lines = new Log(10).complete();
        lines.add(4, lines.get(4));
        assertProblems(verify(lines), "line 6 (seq 4, eventId ev-4): duplicate of seq 4 (line 5)",
                "line 13: the trailer says 10 records but the export holds 11");
    }

    @Test
    void missingTrailerMeansCutShort() {
        List<String> lines = new Log(10).complete();
        lines.remove(lines.size() - 1);
        assertProblems(verify(lines), "the export is cut short after line 11: it has no trailer");

        List<String> cut = new Log(10).complete();
        cut.subList(8, 12).clear();
        assertProblems(verify(cut), "records 8 to 10 are missing", "the export is cut short after line 8: it has no trailer");
    }

    @Test
    void wrongPublicKeySaysWhichKeySignedIt() {
        TreeHeadSigner other = TreeHeadSigner.fromKeysetJson(TreeHeadSigner.generateKeysetJson());
        ExportVerifier.Report r = verify(new Log(5).complete(), other.publicKeyRaw(), null);
        assertProblems(r, "line 1: the tree head is signed by key " + SIGNER.keyId() + " but the public key given is key " + other.keyId());
    }

    @Test
    void alteredTreeHeadFailsItsSignature() {
        Log log = new Log(10);
        List<String> lines = log.complete();
        ObjectNode header = json(lines.get(0));
        ((ObjectNode) header.get("treeHead")).put("timestamp", "2026-11-25T12:00:01Z");
        lines.set(0, header.toString());
        assertProblems(verify(lines), "line 1: the tree head's signature does not verify with key " + SIGNER.keyId());
    }

    @Test
    void headWithASmallerTreeSizeRejectsLaterRecords() {
        Log log = new Log(10);
        List<String> lines = log.export(true, s -> true, log.head(8));
        // Add record 9, which the head of size 8 does not cover, with a proof against the full tree.
        lines.add(9, recordLine(log.entries.get(8), Hex.of(log.entries.get(8).chainHash()), log.tree.inclusionProof(8, 10)));
        lines.set(lines.size() - 1, "{\"trailer\":{\"records\":9}}");
        assertProblems(verify(lines), "line 10 (seq 9, eventId ev-9): seq 9 is beyond the signed tree head (size 8)");
    }

    @Test
    void forgedInclusionPathIsNotIncluded() {
        List<String> lines = new Log(10).complete();
        ObjectNode line4 = json(lines.get(3));
        ArrayNode path = (ArrayNode) line4.get("inclusion");
        String first = path.get(0).textValue();
        path.set(0, JsonNodeFactory.instance.textNode((first.charAt(0) == 'a' ? "b" : "a") + first.substring(1)));
        lines.set(3, line4.toString());
        assertProblems(verify(lines), "line 4 (seq 3, eventId ev-3): not included in the signed tree head");

        List<String> truncated = new Log(10).complete();
        ObjectNode line5 = json(truncated.get(4));
        ((ArrayNode) line5.get("inclusion")).remove(0);
        truncated.set(4, line5.toString());
        assertProblems(verify(truncated), "line 5 (seq 4, eventId ev-4): not included in the signed tree head");

        List<String> badHex = new Log(10).complete();
        ObjectNode line6 = json(badHex.get(5));
        ((ArrayNode) line6.get("inclusion")).set(0, JsonNodeFactory.instance.textNode("xyz"));
        badHex.set(5, line6.toString());
        assertProblems(verify(badHex), "line 6 (seq 5, eventId ev-5): \"inclusion\" must be an array");
    }

    @Test
    void externalTreeHeadMustMatch() {
        Log log = new Log(10);
        SignedTreeHead same = log.head(10);
        assertTrue(verify(log.complete(), KEY, same).ok());

        SignedTreeHead older = log.head(9);
        ExportVerifier.Report r = verify(log.complete(), KEY, older);
        assertProblems(r, "the export's tree head (size 10, root " + same.head().rootHash() + ") is not the tree head given (size 9, root "
                + older.head().rootHash() + ")");

        TreeHead h = same.head();
        SignedTreeHead unsigned = new SignedTreeHead(new TreeHead(h.treeSize(), h.rootHash(), "2026-11-25T12:00:05Z", h.keyId()), same.signature());
        assertProblems(verify(log.complete(), KEY, unsigned), "the tree head given (--tree-head) has an invalid signature");

        TreeHeadSigner other = TreeHeadSigner.fromKeysetJson(TreeHeadSigner.generateKeysetJson());
        assertProblems(verify(log.complete(), KEY, other.sign(10, log.tree.root(10), SIGNED_AT)),
                "the tree head given (--tree-head) is signed by key " + other.keyId() + ", not by key " + SIGNER.keyId());
    }

    @Test
    void firstRecordMustStartFromGenesis() {
        // A log whose first record points at a made-up predecessor: signed and included, but not a chain start.
        Log log = new Log(0);
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("eventId", "ev-1");
        AuditEntry e = new AuditEntry(1, "2026-11-25T10:00:01Z", "11".repeat(32), event);
        log.entries.add(e);
        log.tree.append(e.leafHash());
        assertProblems(verify(log.complete()), "line 2 (seq 1, eventId ev-1): seq 1 must start the chain with the genesis prevHash");
    }

    @Test
    void malformedLinesGetClearMessages() {
        List<String> lines = new Log(6).complete();
        lines.set(3, "{\"entry\": {\"seq\": 3, ");
        ExportVerifier.Report r = verify(lines);
        assertFalse(r.ok());
        assertTrue(r.problems().get(0).startsWith("line 4: not valid JSON ("), r.problems().get(0));
        assertTrue(r.problems().contains("record 3 is missing"), r.problems().toString());

        List<String> missingField = new Log(6).complete();
        ObjectNode line3 = json(missingField.get(2));
        ((ObjectNode) line3.get("entry")).remove("recordedAt");
        missingField.set(2, line3.toString());
        assertProblems(verify(missingField), "line 3 (seq 2, eventId ev-2): malformed record: entry field \"recordedAt\" is missing");

        List<String> noHash = new Log(6).complete();
        ObjectNode line2 = json(noHash.get(1));
        line2.remove("hash");
        noHash.set(1, line2.toString());
        assertProblems(verify(noHash), "line 2 (seq 1, eventId ev-1): the record has no valid \"hash\"");

        List<String> stray = new Log(3).complete();
        stray.add(2, "{\"something\":\"else\"}");
        stray.add("{\"entry\":{}}");
        assertProblems(verify(stray), "line 3: neither a record (\"entry\") nor the trailer", "line 7: content after the trailer (line 6)");
    }

    @Test
    void headerProblems() {
        assertProblems(ExportVerifier.verify(new StringReader(""), KEY, null), "the export is empty");

        List<String> noHeader = new Log(3).complete();
        noHeader.remove(0);
        ExportVerifier.Report r = verify(noHeader);
        assertFalse(r.ok());
        assertTrue(r.problems().get(0).startsWith("line 1: the export has no header"), r.problems().toString());

        List<String> unknown = new Log(3).complete();
        unknown.set(0, json(unknown.get(0)).put("format", "securechat-audit-export/2").toString());
        assertProblems(verify(unknown), "line 1: unknown export format \"securechat-audit-export/2\"");

        List<String> badHead = new Log(3).complete();
        ObjectNode header = json(badHead.get(0));
        ((ObjectNode) header.get("treeHead")).remove("signature");
        badHead.set(0, header.toString());
        assertProblems(verify(badHead), "line 1: the header's tree head is unusable: tree head field \"signature\" is missing");
    }

    @Test
    void problemsAreCappedButCounted() {
        List<String> lines = new Log(1200).complete();
        for (int i = 1; i <= 1200; i++) {
            ObjectNode l = json(lines.get(i));
            ((ObjectNode) l.get("entry").get("event")).put("actor", "x");
            lines.set(i, l.toString());
        }
        ExportVerifier.Report r = verify(lines);
        assertEquals(ExportVerifier.MAX_LISTED_PROBLEMS + 1, r.problems().size());
        assertEquals("... and 200 more problem(s) not listed", r.problems().get(r.problems().size() - 1));
        assertEquals("FAILED: 1200 problem(s)", r.summary());
    }

    @Test
    void streamsALargeExportAndReportsProgress() {
        // 210k records generated on the fly (the lines are never all in memory at once).
        int n = 210_000;
        MerkleLog tree = new MerkleLog();
        String prev = AuditEntry.GENESIS_PREV_HASH;
        List<String> hashes = new ArrayList<>(n);
        for (long seq = 1; seq <= n; seq++) {
            AuditEntry e = new AuditEntry(seq, "t", prev, JsonNodeFactory.instance.objectNode().put("eventId", "e" + seq));
            tree.append(e.leafHash());
            prev = Hex.of(e.chainHash());
            hashes.add(prev);
        }
        SignedTreeHead head = SIGNER.sign(n, tree.root(n), SIGNED_AT);
        java.io.Reader reader = new java.io.Reader() {
            long seq = 0;
            String pending = "{\"format\":\"securechat-audit-export/1\",\"complete\":true,\"query\":{},\"treeHead\":" + head.toJson() + "}\n";
            int pos = 0;

            @Override
            public int read(char[] buf, int off, int len) {
                if (pos == pending.length()) {
                    if (seq > n) {
                        return -1;
                    }
                    seq++;
                    if (seq > n) {
                        pending = "{\"trailer\":{\"records\":" + n + "}}\n";
                    } else {
                        String p = seq == 1 ? AuditEntry.GENESIS_PREV_HASH : hashes.get((int) seq - 2);
                        AuditEntry e = new AuditEntry(seq, "t", p, JsonNodeFactory.instance.objectNode().put("eventId", "e" + seq));
                        pending = recordLine(e, hashes.get((int) seq - 1), tree.inclusionProof(seq - 1, n)) + "\n";
                    }
                    pos = 0;
                }
                int k = Math.min(len, pending.length() - pos);
                pending.getChars(pos, pos + k, buf, off);
                pos += k;
                return k;
            }

            @Override
            public void close() {
            }
        };
        List<Long> progress = new ArrayList<>();
        ExportVerifier.Report r = ExportVerifier.verify(reader, KEY, null, progress::add);
        assertTrue(r.ok(), String.join("\n", r.problems()));
        assertEquals(n, r.records());
        assertEquals(List.of(100_000L, 200_000L), progress);
    }
}
