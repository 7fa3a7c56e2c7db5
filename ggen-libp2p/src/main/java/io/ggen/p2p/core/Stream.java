package io.ggen.p2p.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A negotiated stream of one protocol on a connection; blocking I/O (use virtual threads).
 *
 * <p>Deadlines, as Go's {@code net.Conn}: a read of {@link #in()} (or a write to {@link #out()})
 * that is blocked when its deadline passes, or that starts after it, fails with
 * {@link StreamTimeoutException}; the stream itself stays usable, so the caller decides
 * whether to reset it (protocols here always do). A deadline is a point in time, not an idle
 * timeout: bytes arriving do not move it, so a peer dripping one byte a second cannot hold a
 * request past it. {@code null} clears a deadline. Setting one wakes a blocked reader or writer
 * so that it re-checks against the new value. Deadlines are kept as a timed wait of the blocked
 * thread (no extra thread).
 */
public interface Stream extends AutoCloseable {
    String protocol();

    Connection connection();

    Direction direction();

    InputStream in();

    OutputStream out();

    /** Deadline for reads from {@link #in()}; {@code null} for none. */
    void setReadDeadline(Instant deadline);

    /** Deadline for writes to {@link #out()}; {@code null} for none. */
    void setWriteDeadline(Instant deadline);

    /** Both deadlines at once. */
    default void setDeadline(Instant deadline) {
        setReadDeadline(deadline);
        setWriteDeadline(deadline);
    }

    /**
     * Receives from now on through {@code reader} on the connection's I/O thread instead of
     * {@link #in()} (see {@link InlineReader}): for small, frequent messages. A read deadline
     * set before this call bounds the wait for the end (a timer of the I/O thread): past it
     * the reader ends with a {@link StreamTimeoutException} and the stream is reset.
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
