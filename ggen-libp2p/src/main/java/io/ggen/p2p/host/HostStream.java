package io.ggen.p2p.host;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.InlineReader;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.mux.MuxedStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** A muxed stream after protocol negotiation. */
final class HostStream implements Stream {
    private final MuxedStream muxed;
    private final NettyConnection connection;
    private final String protocol;
    private final Direction direction;

    HostStream(MuxedStream muxed, NettyConnection connection, String protocol, Direction direction) {
        this.muxed = muxed;
        this.connection = connection;
        this.protocol = protocol;
        this.direction = direction;
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
        return muxed.in();
    }

    @Override
    public OutputStream out() {
        return muxed.out();
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
        return muxed.tryWrite(b);
    }

    @Override
    public void readInline(InlineReader reader) {
        muxed.readInline(reader);
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
