package io.ggen.p2p.host;

import io.ggen.p2p.mux.InlineReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** A negotiated stream of one protocol on a connection; blocking I/O (use virtual threads). */
public interface Stream extends AutoCloseable {
    String protocol();

    Connection connection();

    Direction direction();

    InputStream in();

    OutputStream out();

    /**
     * Receives from now on through {@code reader} on the connection's I/O thread instead of
     * {@link #in()} (see {@link InlineReader}): for small, frequent messages.
     */
    void readInline(InlineReader reader);

    /**
     * Writes all of {@code b} now if no waiting is needed, else nothing (false); safe on the
     * I/O thread, and in order with earlier writes to {@link #out()}.
     */
    boolean tryWrite(byte[] b) throws java.io.IOException;

    /** No more writes from us (FIN); reading goes on. */
    void closeWrite();

    /** Abort both directions. */
    void reset();

    /** Close our side; the stream is gone once the remote closes too. Never throws. */
    @Override
    void close();

    CompletableFuture<Void> closed();
}
