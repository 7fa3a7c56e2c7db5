package io.ggen.p2p.host;

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

    /** No more writes from us (FIN); reading goes on. */
    void closeWrite();

    /** Abort both directions. */
    void reset();

    /** Close our side; the stream is gone once the remote closes too. Never throws. */
    @Override
    void close();

    CompletableFuture<Void> closed();
}
