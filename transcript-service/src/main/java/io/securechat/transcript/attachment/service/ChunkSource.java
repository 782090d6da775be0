package io.securechat.transcript.attachment.service;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.UUID;

/** An attachment's ciphertext read back chunk by chunk (one chunk in memory). Blocking: worker threads only. */
final class ChunkSource extends InputStream {

    private final Pool pool;
    private final UUID attachmentId;
    private byte[] chunk = new byte[0];
    private int pos;
    private int next;
    private boolean done;

    ChunkSource(Pool pool, UUID attachmentId) {
        this.pool = pool;
        this.attachmentId = attachmentId;
    }

    private boolean fill() {
        while (pos >= chunk.length) {
            if (done) {
                return false;
            }
            Iterator<Row> rows = pool.preparedQuery("SELECT data FROM attachment_chunks WHERE attachment_id = $1 AND idx = $2")
                    .execute(Tuple.of(attachmentId, next)).await().atMost(Duration.ofSeconds(30)).iterator();
            if (!rows.hasNext()) {
                done = true;
                return false;
            }
            chunk = rows.next().getBuffer("data").getBytes();
            pos = 0;
            next++;
        }
        return true;
    }

    @Override
    public int read() {
        return fill() ? chunk[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }
}
