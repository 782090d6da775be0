package io.securechat.moderation.scan;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A clamd client for one command, {@code zINSTREAM}: the file goes out in chunks, each preceded
 * by its length as a 4-byte big-endian number, and a zero length ends it; clamd answers
 * {@code stream: OK} or {@code stream: <signature> FOUND} (NUL-terminated, as the {@code z}
 * prefix asks). A connection per scan, as clamd expects. Anything else (refused, timed out,
 * {@code ... ERROR}, such as a file over clamd's {@code StreamMaxLength}) is an
 * {@link IOException}: the caller fails closed.
 */
public final class ClamdClient {

    /** clamd's verdict: {@code signature} null when the stream is clean. */
    public record Result(String signature) {
        public boolean clean() {
            return signature == null;
        }
    }

    private static final int MAX_REPLY = 4096;

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final int chunkBytes;

    public ClamdClient(String host, int port, Duration timeout, int chunkBytes) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        this.chunkBytes = Math.max(1, chunkBytes);
    }

    public String endpoint() {
        return host + ":" + port;
    }

    public Result scan(byte[] data) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
            for (int off = 0; off < data.length; off += chunkBytes) {
                int n = Math.min(chunkBytes, data.length - off);
                out.writeInt(n);
                out.write(data, off, n);
            }
            out.writeInt(0);
            out.flush();
            return parse(readReply(socket.getInputStream()));
        }
    }

    private static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) > 0) {
            if (reply.size() >= MAX_REPLY) {
                throw new IOException("clamd reply too long");
            }
            reply.write(c);
        }
        if (c < 0 && reply.size() == 0) {
            throw new IOException("clamd closed the connection without a reply");
        }
        return reply.toString(StandardCharsets.US_ASCII).strip();
    }

    static Result parse(String reply) throws IOException {
        String r = reply.startsWith("stream: ") ? reply.substring("stream: ".length()) : reply;
        if (r.equals("OK")) {
            return new Result(null);
        }
        if (r.endsWith(" FOUND")) {
            String sig = r.substring(0, r.length() - " FOUND".length()).strip();
            return new Result(sig.isEmpty() ? "unknown" : sig);
        }
        // "INSTREAM size limit exceeded. ERROR", "... ERROR": clamd could not decide.
        throw new IOException("clamd could not scan the file (" + (r.endsWith("ERROR") ? "ERROR" : "unexpected reply") + ")");
    }

    /** A signature name as a reason code part: lower case, letters, digits, dot, dash and underscore, at most 64. */
    static String code(String signature) {
        String c = signature.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
        return c.length() > 64 ? c.substring(0, 64) : c;
    }
}
