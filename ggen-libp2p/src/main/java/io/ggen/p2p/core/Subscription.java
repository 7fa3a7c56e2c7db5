package io.ggen.p2p.core;

/** One subscriber's place on an {@link EventBus}; closing it stops delivery. */
public interface Subscription extends AutoCloseable {
    /** Events this subscriber lost because its queue was full. */
    long dropped();

    /** Events waiting in this subscriber's queue. */
    int queued();

    /** Stops delivery; events still queued are discarded. Idempotent. */
    @Override
    void close();
}
