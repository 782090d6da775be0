package io.securechat.moderation.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The clamd client against a fake clamd on loopback that speaks INSTREAM (there is no clamd with
 * signatures on the build machines: freshclam needs the internet). The fake checks the framing
 * (command, 4-byte big-endian lengths, zero terminator), reassembles the file and answers as clamd does.
 */
class ClamdClientTest {

    /** A one-thread clamd stand-in: each connection gets {@code answer(file bytes)}, or nothing at all when null. */
    static final class FakeClamd implements AutoCloseable {
        final ServerSocket server;
        final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> chunkSizes = Collections.synchronizedList(new ArrayList<>());
        final Thread thread;
        final CountDownLatch release = new CountDownLatch(1);

        FakeClamd(Function<byte[], String> answer) throws IOException {
            server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        byte[] command = new byte[10];
                        in.readFully(command);
                        if (!new String(command, StandardCharsets.US_ASCII).equals("zINSTREAM\0")) {
                            s.getOutputStream().write("UNKNOWN COMMAND\0".getBytes(StandardCharsets.US_ASCII));
                            continue;
                        }
                        ByteArrayOutputStream file = new ByteArrayOutputStream();
                        int len;
                        while ((len = in.readInt()) > 0) {
                            chunkSizes.add(len);
                            file.writeBytes(in.readNBytes(len));
                        }
                        received.add(file.toByteArray());
                        String reply = answer.apply(file.toByteArray());
                        if (reply == null) {
                            release.await(); // never answers (until the test ends)
                            continue;
                        }
                        OutputStream out = s.getOutputStream();
                        out.write((reply + "\0").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException | InterruptedException e) {
                        // closed by the test
                    }
                }
            }, "fake-clamd");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            server.close();
        }
    }

    static Function<byte[], String> signatureOnMarker() {
        byte[] marker = "TEST-MALWARE".getBytes(StandardCharsets.US_ASCII);
        return file -> {
            for (int i = 0; i + marker.length <= file.length; i++) {
                if (java.util.Arrays.equals(file, i, i + marker.length, marker, 0, marker.length)) {
                    return "stream: Win.Test.Fake-1 FOUND";
                }
            }
            return "stream: OK";
        };
    }

    @Test
    void aCleanFileIsStreamedInFramedChunksAndPasses() throws Exception {
        try (FakeClamd clamd = new FakeClamd(signatureOnMarker())) {
            byte[] file = new byte[200_000];
            new Random(5).nextBytes(file);
            ClamdClient client = new ClamdClient("127.0.0.1", clamd.port(), Duration.ofSeconds(10), 65536);
            ClamdClient.Result r = client.scan(file);
            assertTrue(r.clean());
            assertNull(r.signature());
            assertArrayEquals(file, clamd.received.getFirst(), "the file arrives whole");
            assertEquals(List.of(65536, 65536, 65536, 200_000 - 3 * 65536), clamd.chunkSizes);
        }
    }

    @Test
    void aSignatureFoundIsReportedByName() throws Exception {
        try (FakeClamd clamd = new FakeClamd(signatureOnMarker())) {
            ClamdClient client = new ClamdClient("127.0.0.1", clamd.port(), Duration.ofSeconds(10), 7);
            ClamdClient.Result r = client.scan("xx TEST-MALWARE xx".getBytes(StandardCharsets.US_ASCII));
            assertEquals("Win.Test.Fake-1", r.signature());
            assertEquals("win.test.fake-1", ClamdClient.code(r.signature()));
        }
    }

    @Test
    void errorsRefusedConnectionsAndSilenceAreFailures() throws Exception {
        try (FakeClamd clamd = new FakeClamd(f -> "INSTREAM size limit exceeded. ERROR")) {
            ClamdClient client = new ClamdClient("127.0.0.1", clamd.port(), Duration.ofSeconds(10), 1024);
            assertThrows(IOException.class, () -> client.scan(new byte[10]));
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ClamdClient nobody = new ClamdClient("127.0.0.1", closed, Duration.ofSeconds(2), 1024);
        assertThrows(IOException.class, () -> nobody.scan(new byte[10]));
        try (FakeClamd silent = new FakeClamd(f -> null)) {
            ClamdClient client = new ClamdClient("127.0.0.1", silent.port(), Duration.ofMillis(300), 1024);
            assertThrows(java.net.SocketTimeoutException.class, () -> client.scan(new byte[10]));
        }
    }

    @Test
    void repliesAreParsedAsClamdWritesThem() throws Exception {
        assertTrue(ClamdClient.parse("stream: OK").clean());
        assertEquals("Eicar-Signature", ClamdClient.parse("stream: Eicar-Signature FOUND").signature());
        assertThrows(IOException.class, () -> ClamdClient.parse("stream: lstat() failed ERROR"));
        assertThrows(IOException.class, () -> ClamdClient.parse("garbage"));
        assertEquals("a_b_c", ClamdClient.code("A B/C"));
    }
}
