package io.ggen.p2p.host;

import io.ggen.p2p.core.BandwidthMeter;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.InlineReader;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.mux.MuxedStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A muxed stream after protocol negotiation. Every byte read or written through it is counted in
 * the host's {@link BandwidthMeter}, under this stream's peer and protocol.
 */
final class HostStream implements Stream {
    private final MuxedStream muxed;
    private final NettyConnection connection;
    private final String protocol;
    private final Direction direction;
    private final BandwidthMeter.StreamCounter meter;
    private final InputStream in;
    private final OutputStream out;

    HostStream(MuxedStream muxed, NettyConnection connection, String protocol, Direction direction, BandwidthMeter meter) {
        this.muxed = muxed;
        this.connection = connection;
        this.protocol = protocol;
        this.direction = direction;
        this.meter = meter.stream(connection.remotePeer(), protocol);
        this.in = new CountingInput(muxed.in());
        this.out = new CountingOutput(muxed.out());
    }

    private final class CountingInput extends FilterInputStream {
        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) meter.received(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) meter.received(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            meter.received(skipped);
            return skipped;
        }
    }

    private final class CountingOutput extends FilterOutputStream {
        CountingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            meter.sent(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            meter.sent(len);
        }
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void setReadDeadline(java.time.Instant deadline) {
        muxed.setReadDeadline(deadline);
    }

    @Override
    public void setWriteDeadline(java.time.Instant deadline) {
        muxed.setWriteDeadline(deadline);
    }

    @Override
    public boolean tryWrite(byte[] b) throws java.io.IOException {
        boolean written = muxed.tryWrite(b);
        if (written) meter.sent(b.length);
        return written;
    }

    @Override
    public void readInline(InlineReader reader) {
        muxed.readInline(new InlineReader() {
            @Override
            public void data(java.nio.ByteBuffer chunk) throws IOException {
                meter.received(chunk.remaining());
                reader.data(chunk);
            }

            @Override
            public void end(IOException failure) {
                reader.end(failure);
            }
        });
    }

    @Override
    public void closeWrite() {
        muxed.closeWrite();
    }

    @Override
    public void reset() {
        muxed.reset();
    }

    @Override
    public void close() {
        muxed.close();
    }

    @Override
    public CompletableFuture<Void> closed() {
        return muxed.closed();
    }

    @Override
    public String toString() {
        return "Stream[" + protocol + " " + direction.wireName() + " " + connection.remotePeer() + "]";
    }
}
