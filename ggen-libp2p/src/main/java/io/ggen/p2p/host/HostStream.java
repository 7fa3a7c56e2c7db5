package io.ggen.p2p.host;

import io.ggen.p2p.core.BandwidthMeter;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.InlineReader;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.multistream.Multistream;
import io.ggen.p2p.multistream.MultistreamConfig;
import io.ggen.p2p.multistream.MultistreamNegotiator;
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
 *
 * <p>A lazily negotiated stream ({@link NettyConnection#newStreamLazy}) has sent its one
 * proposal but not read the answer: its first read, blocking or inline, takes and checks the
 * answer before any of the protocol's bytes, and a refusal resets the stream and fails the read.
 */
final class HostStream implements Stream {
    private final MuxedStream muxed;
    private final NettyConnection connection;
    private final String protocol;
    private final Direction direction;
    private final BandwidthMeter.StreamCounter meter;
    private final InputStream in;
    private final OutputStream out;
    /** What {@link #in} reads from. */
    private final InputStream source;
    /** The proposer whose answer is still unread (lazy negotiation); null once read, or when negotiated eagerly. */
    private MultistreamNegotiator unanswered;

    HostStream(MuxedStream muxed, NettyConnection connection, String protocol, Direction direction, BandwidthMeter meter) {
        this(muxed, connection, protocol, direction, meter, null, muxed.in());
    }

    /**
     * @param unanswered the proposer of a lazy negotiation, whose answer is to be read first; null if none
     * @param source what {@link #in()} reads: the muxed stream's input, or that behind bytes
     *     already taken from it (blocking reads only)
     */
    HostStream(MuxedStream muxed, NettyConnection connection, String protocol, Direction direction, BandwidthMeter meter,
            MultistreamNegotiator unanswered, InputStream source) {
        this.muxed = muxed;
        this.connection = connection;
        this.protocol = protocol;
        this.direction = direction;
        this.meter = meter.stream(connection.remotePeer(), protocol);
        this.unanswered = unanswered;
        this.source = source;
        this.in = new CountingInput(unanswered == null ? source : new AnswerFirstInput(source));
        this.out = new CountingOutput(muxed.out());
    }

    /** Reads the answer to a lazy proposal before the first byte of the protocol; one reader thread. */
    private final class AnswerFirstInput extends FilterInputStream {
        AnswerFirstInput(InputStream in) {
            super(in);
        }

        private void answered() throws IOException {
            MultistreamNegotiator proposer = unanswered;
            if (proposer == null) return;
            try {
                Multistream.awaitAnswer(proposer, in, MultistreamConfig.DEFAULT);
            } catch (IOException e) {
                muxed.reset();
                throw new IOException("peer did not accept " + protocol + ": " + e.getMessage(), e);
            }
            unanswered = null;
        }

        @Override
        public int read() throws IOException {
            answered();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            answered();
            return in.read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            answered();
            return in.skip(n);
        }

        @Override
        public int available() throws IOException {
            return unanswered != null ? 0 : in.available();
        }
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
        InlineReader counted = countingReader(reader);
        byte[] unread = source instanceof ReplayInput replay ? replay.takeUnread() : new byte[0];
        if (unread.length == 0) {
            muxed.readInline(counted);
            return;
        }
        // Bytes the I/O thread took before the negotiation go first: handed over on that thread
        // by a task queued ahead of the one that starts the inline delivery.
        InlineReader once = new InlineReader() {
            private boolean ended;

            @Override
            public void data(java.nio.ByteBuffer chunk) throws IOException {
                if (!ended) counted.data(chunk);
            }

            @Override
            public void end(IOException failure) {
                if (ended) return;
                ended = true;
                counted.end(failure);
            }
        };
        try {
            connection.channel().eventLoop().execute(() -> {
                try {
                    once.data(java.nio.ByteBuffer.wrap(unread));
                } catch (IOException | RuntimeException e) {
                    once.end(e instanceof IOException io ? io : new IOException(e.toString(), e));
                    muxed.reset();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            once.end(new IOException("connection closed"));
            return;
        }
        muxed.readInline(once);
    }

    private InlineReader countingReader(InlineReader reader) {
        return new InlineReader() {
            @Override
            public void data(java.nio.ByteBuffer chunk) throws IOException {
                MultistreamNegotiator proposer = unanswered;
                if (proposer != null) {
                    MultistreamNegotiator.Step step = proposer.feed(chunk);
                    switch (step.outcome()) {
                        case MultistreamNegotiator.NeedMore ignored -> {
                            return;
                        }
                        case MultistreamNegotiator.Failed failed -> throw new IOException("peer did not accept " + protocol + ": " + failed.reason());
                        case MultistreamNegotiator.Selected selected -> {
                            unanswered = null;
                            if (selected.leftover().length == 0) return;
                            chunk = java.nio.ByteBuffer.wrap(selected.leftover());
                        }
                    }
                }
                meter.received(chunk.remaining());
                reader.data(chunk);
            }

            @Override
            public void end(IOException failure) {
                if (failure == null && unanswered != null) failure = new IOException("stream ended before the peer answered the proposal of " + protocol);
                reader.end(failure);
            }
        };
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
