package io.ggen.p2p.host;

import io.ggen.p2p.protocol.identify.IdentifyInfo;

/**
 * Connection events. Called in order per connection from the host's event thread: a listener
 * must return quickly and never block (hand work to another thread).
 */
public interface HostListener {
    default void connected(Connection connection) {}

    default void disconnected(Connection connection) {}

    /** The remote answered identify (first time, or a push updated it). */
    default void identified(Connection connection, IdentifyInfo info) {}

    default void streamOpened(Stream stream) {}
}
