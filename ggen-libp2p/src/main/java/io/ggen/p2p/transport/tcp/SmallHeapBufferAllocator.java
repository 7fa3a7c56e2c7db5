package io.ggen.p2p.transport.tcp;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * The connections' allocator: heap buffers smaller than {@link #POOLED_FROM} bytes are plain
 * arrays that the collector reclaims; larger heap buffers and every direct buffer come from the
 * pool ({@link ByteBufAllocator#DEFAULT}, Netty 4.2's adaptive allocator).
 *
 * <p>Why: the adaptive pool keeps one chunk (128-528 KiB) per size class for each thread and
 * each of up to 2 x cores shared stripes that has used that class, and adds stripes when
 * threads contend for one. A node's small heap buffers (Noise messages on the event loop; gossip,
 * DHT and other frames written from many virtual threads into the shared stripes) reached a new
 * size class of a magazine now and then, so the pool's live heap grew in steps at traffic peaks
 * for as long as a soak ran (RELIABILITY.md, Soak). Small buffers gain little from pooling (an array of a few KiB is a TLAB bump), while
 * bulk frames (64 KiB Noise messages and Yamux DATA frames) stay pooled, above every size class.
 *
 * <p>The arrays are still reference counted and still tracked by Netty's leak detector at the
 * level it runs at (the tests run it paranoid), so a buffer never released is reported as before.
 */
public final class SmallHeapBufferAllocator extends AbstractByteBufAllocator {
    /** Heap buffers at least this large are pooled: above Netty's largest size class (16,896). */
    public static final int POOLED_FROM = 32 * 1024;

    /** The allocator of every connection of the host: TCP, and the in-VM channels of relayed circuits. */
    public static final SmallHeapBufferAllocator INSTANCE = new SmallHeapBufferAllocator(ByteBufAllocator.DEFAULT);

    private final ByteBufAllocator pool;
    // does not track leaks itself: newHeapBuffer wraps its arrays for the detector
    private final ByteBufAllocator arrays = new UnpooledByteBufAllocator(false, true);

    SmallHeapBufferAllocator(ByteBufAllocator pool) {
        super(pool.isDirectBufferPooled());
        this.pool = pool;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        if (initialCapacity >= POOLED_FROM) return pool.heapBuffer(initialCapacity, maxCapacity);
        return toLeakAwareBuffer(arrays.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return pool.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return pool.isDirectBufferPooled();
    }
}
