package io.ggen.p2p.core;

/**
 * A handler whose whole part is one answer, computed from the connection without waiting for
 * anything, after which it closes its side (identify): the host may send the answer from the
 * connection's I/O thread, in the same frame as the protocol negotiation's last message,
 * instead of handing the stream to a thread of its own. Run as a plain {@link StreamHandler}
 * (when the negotiation or the write cannot be done at once) it writes the answer and closes
 * its side.
 */
@FunctionalInterface
public interface AnsweringHandler extends StreamHandler {
    /** The answer on a new stream of {@code connection}; must not block. */
    byte[] answer(Connection connection);

    @Override
    default void handle(Stream stream) throws Exception {
        stream.out().write(answer(stream.connection()));
        stream.out().flush();
        stream.closeWrite();
    }
}
