package io.ggen.p2p.host;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A stream's input with bytes already taken from it put back in front: what the I/O thread read
 * of a new stream to see whether it could answer it at once ({@code NettyConnection}), handed
 * to the stream thread that negotiates instead. One reader thread.
 */
final class ReplayInput extends InputStream {
    private final byte[] head;
    private int pos;
    private final InputStream rest;

    ReplayInput(byte[] head, InputStream rest) {
        this.head = head;
        this.rest = rest;
    }

    /** The put-back bytes not read yet, now no longer replayed (for a reader switching to inline reading). */
    byte[] takeUnread() {
        byte[] left = Arrays.copyOfRange(head, pos, head.length);
        pos = head.length;
        return left;
    }

    @Override
    public int read() throws IOException {
        if (pos < head.length) return head[pos++] & 0xff;
        return rest.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (pos < head.length) {
            int n = Math.min(len, head.length - pos);
            System.arraycopy(head, pos, b, off, n);
            pos += n;
            return n;
        }
        return rest.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return pos < head.length ? head.length - pos : rest.available();
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}
