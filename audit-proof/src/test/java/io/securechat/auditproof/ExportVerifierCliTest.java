package io.securechat.auditproof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportVerifierCliTest {
    @TempDir
    Path dir;
    Path export;
    Path key;
    ExportVerifierTest.Log log;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void writeExport() throws Exception {
        log = new ExportVerifierTest.Log(12);
        export = Files.write(dir.resolve("export.ndjson"), log.complete());
        key = Files.writeString(dir.resolve("audit-signing.pub"), Base64.getEncoder().encodeToString(ExportVerifierTest.KEY) + "\n");
    }

    int run(String... args) {
        out.reset();
        err.reset();
        return ExportVerifier.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verifiedExportExitsZero() throws Exception {
        assertEquals(0, run(export.toString(), "--public-key", key.toString()));
        assertTrue(out().startsWith("OK: 12 records verified against the tree head of size 12 (root "), out());
        assertEquals("", err());

        Path head = Files.writeString(dir.resolve("head.json"), log.head(12).toJson().toString());
        assertEquals(0, run("--public-key", key.toString(), "--tree-head", head.toString(), export.toString()));
        // The header of another export (or an API response) wrapping the head in "treeHead" works too.
        Path wrapped = Files.writeString(dir.resolve("wrapped.json"), "{\"treeHead\":" + log.head(12).toJson() + "}");
        assertEquals(0, run(export.toString(), "--public-key", key.toString(), "--tree-head", wrapped.toString()));
    }

    @Test
    void problemsExitOneAndArePrintedBeforeTheVerdict() throws Exception {
        List<String> lines = log.complete();
        lines.remove(lines.size() - 1);
        Files.write(export, lines);
        assertEquals(1, run(export.toString(), "--public-key", key.toString()));
        assertEquals("the export is cut short after line 13: it has no trailer\nFAILED: 1 problem(s)\n", out().replace("\r\n", "\n"));

        Path head = Files.writeString(dir.resolve("head.json"), log.head(11).toJson().toString());
        Files.write(export, log.complete());
        assertEquals(1, run(export.toString(), "--public-key", key.toString(), "--tree-head", head.toString()));
        assertTrue(out().contains("is not the tree head given (size 11"), out());
    }

    @Test
    void usageAndUnreadableInputExitTwo() throws Exception {
        assertEquals(2, run());
        assertTrue(err().contains("usage: ExportVerifier EXPORT --public-key FILE [--tree-head FILE]"), err());
        assertEquals(2, run(export.toString()));
        assertTrue(err().contains("--public-key FILE is missing"), err());
        assertEquals(2, run(export.toString(), "--public-key"));
        assertEquals(2, run(export.toString(), "--public-key", key.toString(), "--bogus"));
        assertEquals(2, run(export.toString(), export.toString(), "--public-key", key.toString()));
        assertEquals(2, run(dir.resolve("nope.ndjson").toString(), "--public-key", key.toString()));
        assertTrue(err().contains("no such file"), err());
        assertEquals(2, run(export.toString(), "--public-key", dir.resolve("nope.pub").toString()));
        assertTrue(err().contains("cannot read public key file"), err());
        Path badKey = Files.writeString(dir.resolve("bad.pub"), "AAAA");
        assertEquals(2, run(export.toString(), "--public-key", badKey.toString()));
        assertTrue(err().contains("3 bytes; an Ed25519 public key is 32 bytes"), err());
        Path badHead = Files.writeString(dir.resolve("bad-head.json"), "{\"treeSize\":1}");
        assertEquals(2, run(export.toString(), "--public-key", key.toString(), "--tree-head", badHead.toString()));
        assertTrue(err().contains("\"rootHash\" is missing"), err());
        Path latin1 = Files.write(dir.resolve("latin1.ndjson"), new byte[] {'{', '"', (byte) 0xe9, '"', '}', '\n'});
        assertEquals(2, run(latin1.toString(), "--public-key", key.toString()));
        assertTrue(err().contains("not UTF-8"), err());
        assertEquals(0, run("--help"));
        assertTrue(out().contains("exit status: 0 verified, 1 problems found, 2 usage error or unreadable input"));
    }

    @Test
    void malformedContentIsAProblemNotACrash() throws Exception {
        Files.writeString(export, "this is not json\n");
        assertEquals(1, run(export.toString(), "--public-key", key.toString()));
        assertTrue(out().startsWith("line 1: not valid JSON ("), out());
        assertEquals("", err());
    }
}
