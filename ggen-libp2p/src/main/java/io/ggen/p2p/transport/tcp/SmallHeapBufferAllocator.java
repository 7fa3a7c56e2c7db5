package io.ggen.p2p.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * The connections' allocator: heap buffers smaller than {@link #POOLED_FROM} bytes are plain
 * arrays that the collector reclaims; larger heap buffers and every direct buffer come from the
 * pool ({@link ByteBufAllocator#DEFAULT}, Netty 4.2's adaptive allocator).
 *
 * <p>Why: the adaptive pool keeps one chunk (128-528 KiB) per size class for each thread and
 * each of up to 2 x cores shared stripes that has used that class, and adds stripes when
 * threads contend for one. A node's small heap buffers (Noise messages, gossip and DHT frames
 * written from many virtual threads) touched every size class from every stripe, so the pool's
 * live heap grew in steps at each new traffic peak for as long as a soak ran (RELIABILITY.md,
 * Soak). Small buffers gain little from pooling (an array of a few KiB is a TLAB bump), while
 * bulk frames (64 KiB Noise messages and Yamux DATA frames) stay pooled, above every size class.
 */
public final class SmallHeapBufferAllocator implements ByteBufAllocator {
    /** Heap buffers at least this large are pooled: above Netty's largest size class (16,896). */
    public static final int POOLED_FROM = 32 * 1024;

    /** The allocator of every TCP connection of the host. */
    public static final SmallHeapBufferAllocator INSTANCE = new SmallHeapBufferAllocator(ByteBufAllocator.DEFAULT);

    private final ByteBufAllocator pool;
    // No leak tracking wanted for arrays the collector reclaims anyway.
    private final ByteBufAllocator arrays = new UnpooledByteBufAllocator(false, true);

    SmallHeapBufferAllocator(ByteBufAllocator pool) {
        this.pool = pool;
    }

    @Override
    public ByteBuf heapBuffer() {
        return arrays.heapBuffer();
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return initialCapacity < POOLED_FROM ? arrays.heapBuffer(initialCapacity) : pool.heapBuffer(initialCapacity);
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return initialCapacity < POOLED_FROM ? arrays.heapBuffer(initialCapacity, maxCapacity) : pool.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf buffer() {
        return pool.buffer();
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return pool.buffer(initialCapacity);
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return pool.buffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf ioBuffer() {
        return pool.ioBuffer();
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return pool.ioBuffer(initialCapacity);
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return pool.ioBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf directBuffer() {
        return pool.directBuffer();
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return pool.directBuffer(initialCapacity);
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return pool.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return pool.compositeBuffer();
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return pool.compositeBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return pool.compositeHeapBuffer();
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return pool.compositeHeapBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return pool.compositeDirectBuffer();
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return pool.compositeDirectBuffer(maxNumComponents);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return pool.isDirectBufferPooled();
    }

    @Override
    public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
        return pool.calculateNewCapacity(minNewCapacity, maxCapacity);
    }
}
