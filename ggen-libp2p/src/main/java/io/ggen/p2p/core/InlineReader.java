package io.ggen.p2p.core;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Takes a stream's received bytes on the connection's I/O thread, as they arrive, instead of a
 * thread blocking on {@code in()}: for protocols whose messages are small and frequent (gossip),
 * where waking a reader thread per message costs more than handling it. Both methods run on
 * the I/O thread and must not block.
 */
public interface InlineReader {
    /**
     * Received bytes, readable only during the call. Throwing resets the stream (the reader
     * saw something it cannot accept); {@link #end} follows.
     */
    void data(ByteBuffer chunk) throws IOException;

    /** No more data: the remote closed its side ({@code failure} null), or the stream was reset or lost. Called once. */
    void end(IOException failure);
}
