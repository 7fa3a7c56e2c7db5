package io.ggen.p2p.mux;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * One stream of a multiplexed connection, used with blocking I/O from (virtual) threads: the
 * receive window is granted back to the remote as {@link #in()} is read, so a slow reader
 * slows the writer instead of growing a buffer; {@link #out()} blocks while the send window is
 * exhausted.
 */
public interface MuxedStream {
    /** Stream id as on the wire. */
    long id();

    /** True when the remote opened it. */
    boolean inbound();

    /** Reads block until data, EOF (remote closed its write side: -1) or reset (IOException). */
    InputStream in();

    /** Writes block on flow control; {@code close()} closes the write side (half-close). */
    OutputStream out();

    /**
     * Reads blocked past {@code deadline} (or starting to wait after it) fail with
     * {@link io.ggen.p2p.core.StreamTimeoutException}; {@code null} clears it.
     */
    void setReadDeadline(java.time.Instant deadline);

    /** As {@link #setReadDeadline}, for writes (flow control and a congested connection). */
    void setWriteDeadline(java.time.Instant deadline);

    /** Half-close: no more writes from us; reading goes on. Idempotent. */
    void closeWrite();

    /** Aborts the stream in both directions; pending and later reads/writes fail. Idempotent. */
    void reset();

    /** Closes the write side and discards unread input once the remote closes too. */
    void close();

    /**
     * Writes all of {@code b} at once if that needs no waiting (send window and connection
     * buffer have room, and it fits one frame), else writes nothing and returns false. Safe on
     * the I/O thread; in order with {@link #out()}'s earlier writes.
     */
    boolean tryWrite(byte[] b) throws java.io.IOException;

    /**
     * From now on, received bytes (those already queued first) go to {@code reader} on the I/O
     * thread, and {@link #in()} must not be read any more. The receive window is given back as
     * the reader takes the bytes. A read deadline set before this call bounds the wait for the
     * end: past it the reader ends with a {@link io.ggen.p2p.core.StreamTimeoutException} and
     * the stream is reset.
     */
    void readInline(io.ggen.p2p.core.InlineReader reader);

    /** Completes when the stream is gone (both sides closed, or reset). Never fails. */
    CompletableFuture<Void> closed();
}
