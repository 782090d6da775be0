package io.securechat.transcript.attachment.service;

import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.OutputStream;
import java.time.Duration;
import java.util.UUID;

/**
 * Ciphertext on its way to {@code attachment_chunks}: at most one chunk ({@link #CHUNK} bytes) is
 * held; each full chunk is written before more is accepted. Blocking: worker threads only.
 */
final class ChunkSink extends OutputStream {

    static final int CHUNK = 1 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final UUID attachmentId;
    private final byte[] buffer = new byte[CHUNK];
    private int used;
    private int index;
    private long written;

    ChunkSink(Pool pool, UUID attachmentId) {
        this.pool = pool;
        this.attachmentId = attachmentId;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, CHUNK - used);
            System.arraycopy(b, off, buffer, used, n);
            used += n;
            off += n;
            len -= n;
            if (used == CHUNK) {
                flushChunk();
            }
        }
    }

    private void flushChunk() {
        if (used == 0) {
            return;
        }
        byte[] data = java.util.Arrays.copyOf(buffer, used);
        pool.preparedQuery("INSERT INTO attachment_chunks (attachment_id, idx, data) VALUES ($1, $2, $3)")
                .execute(Tuple.of(attachmentId, index, Buffer.buffer(data))).await().atMost(TIMEOUT);
        index++;
        written += used;
        used = 0;
    }

    @Override
    public void close() {
        flushChunk();
    }

    long ciphertextBytes() {
        return written + used;
    }
}
