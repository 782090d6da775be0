package io.securechat.moderation.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming matcher (split across buffers at every position), the list format, the shipped and operator lists. */
class SignaturesTest {

    static Signatures.Signature sig(String name, String pattern) {
        return new Signatures.Signature(name, pattern.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Feeds {@code data} in two buffers cut at {@code cut}. */
    static Signatures.Signature feed(Signatures s, byte[] data, int cut) {
        Signatures.Matcher m = s.matcher();
        Signatures.Signature first = m.update(data, 0, cut);
        return first != null ? first : m.update(data, cut, data.length - cut);
    }

    @Test
    void eicarIsFoundWhereverABufferBoundaryCutsIt() {
        Signatures s = new Signatures(List.of(Signatures.eicar()));
        byte[] noise = new byte[300];
        new Random(3).nextBytes(noise);
        byte[] data = new byte[noise.length + Signatures.EICAR.length + 20];
        System.arraycopy(noise, 0, data, 0, noise.length);
        System.arraycopy(Signatures.EICAR, 0, data, noise.length, Signatures.EICAR.length);
        for (int cut = 0; cut <= data.length; cut++) {
            Signatures.Signature found = feed(s, data, cut);
            assertNotNull(found, "cut at " + cut);
            assertEquals("eicar", found.name());
        }
        // One byte at a time, too.
        Signatures.Matcher m = s.matcher();
        Signatures.Signature found = null;
        for (int i = 0; i < data.length && found == null; i++) {
            found = m.update(data, i, 1);
        }
        assertNotNull(found);
        // Without its last byte it is no match.
        byte[] cutShort = java.util.Arrays.copyOf(Signatures.EICAR, Signatures.EICAR.length - 1);
        assertNull(s.matcher().update(cutShort, 0, cutShort.length));
    }

    @Test
    void overlappingAndNestedPatternsAndHighBytesAreFound() {
        Signatures s = new Signatures(List.of(sig("abcd", "abcd"), sig("bcde", "bcdX"), sig("high", "\u00ff\u00fe\u0080\u0081"),
                sig("long", "xxabcabcabd")));
        assertEquals("abcd", s.matcher().update(bytes("zzabcabcd"), 0, 9).name());
        assertEquals("bcde", s.matcher().update(bytes("abcbcdX"), 0, 7).name());
        byte[] high = bytes("..\u00ff\u00fe\u0080\u0081..");
        assertEquals("high", s.matcher().update(high, 0, high.length).name());
        // A failure path through a partial match: "xxabcabcab" then "d".
        assertEquals("long", feed(s, bytes("qxxabcabcabd"), 11).name());
        assertNull(s.matcher().update(bytes("abc bcd xxabcabcab"), 0, 18));
        assertNull(s.matcher().update(bytes("\u00ff\u00fe\u0080\u0082"), 0, 4));
    }

    @Test
    void theListFormatTakesLiteralsAndHexAndRefusesWhatWouldMisfire() throws Exception {
        List<Signatures.Signature> list = Signatures.parse(new StringReader("""
                # comment

                drop_url\thttp://evil.example/x
                bytes\thex:de ad be ef 00
                """), "test");
        assertEquals(2, list.size());
        assertEquals("drop_url", list.get(0).name());
        assertEquals(5, list.get(1).pattern().length);
        assertEquals((byte) 0xDE, list.get(1).pattern()[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Signatures.parse(new StringReader("ok\tabcdef\nBad Name\tabcdef\n"), "ops.tsv"));
        assertTrue(e.getMessage().contains("ops.tsv line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Signatures.parse(new StringReader("short\tabc\n"), "x"));
        assertThrows(IllegalArgumentException.class, () -> Signatures.parse(new StringReader("nohex\thex:zz11\n"), "x"));
        assertThrows(IllegalArgumentException.class, () -> Signatures.parse(new StringReader("notab abcdef\n"), "x"));
        assertThrows(IllegalArgumentException.class, () -> Signatures.parse(new StringReader("eicar\tabcdef\n"), "x"));
    }

    @Test
    void theShippedListLoadsAndTheOperatorsFileAddsToIt(@TempDir Path dir) throws Exception {
        Signatures shipped = ScanService.loadSignatures(Samples.defaults());
        assertEquals("eicar", shipped.list().getFirst().name());
        assertTrue(shipped.list().stream().anyMatch(x -> x.name().equals("office_ddeauto")), "shipped list read");
        Path file = dir.resolve("ops.tsv");
        Files.writeString(file, "# ours\nacme_dropper\tACME-DROPPER-7\n");
        Signatures withOps = ScanService.loadSignatures(Samples.config(10 << 20, 3, 1000, 1L << 28, 100, file.toString()));
        assertEquals(shipped.list().size() + 1, withOps.list().size());
        byte[] data = bytes("hello ACME-DROPPER-7 there");
        assertEquals("acme_dropper", withOps.matcher().update(data, 0, data.length).name());
        // A configured file that is not there stops the service at start.
        assertThrows(java.io.IOException.class, () -> ScanService.loadSignatures(
                Samples.config(10 << 20, 3, 1000, 1L << 28, 100, dir.resolve("missing.tsv").toString())));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
