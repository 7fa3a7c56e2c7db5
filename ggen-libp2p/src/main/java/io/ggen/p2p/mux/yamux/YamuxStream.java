package io.ggen.p2p.mux.yamux;

import io.ggen.p2p.core.StreamTimeoutException;
import io.ggen.p2p.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The blocking face of one yamux stream. The event loop pushes received payload, window
 * grants, FIN and reset in through the {@code on...} methods; one reader thread and one writer
 * thread block on the lock's conditions (ReentrantLock, so virtual threads unmount while
 * waiting). Protocol decisions stay in {@link YamuxStateMachine}: this class only queues,
 * copies, and tells the session what was read and what to send.
 */
final class YamuxStream implements MuxedStream {

    /**
     * Read bytes are reported to the event loop in batches of at least this much (one task per
     * batch instead of per read). It is well below half the smallest window, so the remote never
     * stalls on bytes we read but did not report.
     */
    static final int REPORT_BATCH = 32 * 1024;

    /**
     * Sends (tasks of at most {@link #FRAMES_PER_SEND} DATA frames each) a writer may have
     * queued for the event loop and not yet taken by it. The send window alone would let a
     * writer run up to 16 MiB ahead of the loop (256 frames of 64 KiB in its task queue); that
     * many buffers alive at once make Netty's allocator retire its chunks and allocate new ones
     * (measured: 84% of all allocation in a bulk transfer, and the GC work that goes with it).
     * Eight keep the loop busy while it encrypts (with {@link #RESUME_QUEUED_SENDS}: voluntary
     * context switches per GiB 21k with 4 and 1, 12k with 8 and 2; HostThroughput in
     * BENCHMARKS.md).
     */
    static final int MAX_QUEUED_SENDS = 8;

    /**
     * A writer held back by {@link #MAX_QUEUED_SENDS} is woken once the loop has taken all but
     * this many of its sends, not at each one it takes: it then queues several per
     * wake-up, and each wake-up is a park and unpark of two threads.
     */
    static final int RESUME_QUEUED_SENDS = 2;

    /**
     * Most DATA frames one write hands to the event loop as one task (and one of its
     * {@link #MAX_QUEUED_SENDS} places): at most 4 x 64 KiB, so what a stream queues for the
     * loop stays within 2 MiB.
     */
    static final int FRAMES_PER_SEND = 4;

    private final YamuxSession session;
    private final int id;
    private final boolean inbound;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final In in = new In();
    private final Out out = new Out();

    // guarded by lock
    private long buffered;
    private boolean remoteFin;
    private String failure;          // reset or session end: reads and writes fail with it
    private boolean writeClosed;
    private boolean discard;         // close(): drop input, but still give the window back
    private long sendCredit = YamuxConfig.INITIAL_WINDOW;
    private long unreported;
    private boolean reportScheduled;
    private long readDeadline;       // System.nanoTime() value; valid when hasReadDeadline
    private boolean hasReadDeadline;
    private long writeDeadline;
    private boolean hasWriteDeadline;

    private volatile boolean ackRequested;

    /** In the session's list of readers to wake at the end of the read burst (event loop only). */
    boolean wakeQueued;

    /** Inline mode (see {@link #readInline}): touched on the event loop only. */
    private io.ggen.p2p.core.InlineReader inline;
    /** The read deadline of the inline reader, a timer of the event loop (event loop only). */
    private io.netty.util.concurrent.ScheduledFuture<?> inlineDeadline;
    private final java.util.concurrent.atomic.AtomicBoolean inlineRequested = new java.util.concurrent.atomic.AtomicBoolean();
    /** Sends handed to the event loop and not yet taken by it (order with {@link #tryWrite}). */
    private final java.util.concurrent.atomic.AtomicInteger queuedSends = new java.util.concurrent.atomic.AtomicInteger();
    /** A writer waits for {@link #queuedSends} to drop below {@link #MAX_QUEUED_SENDS}. */
    private volatile boolean writerWaitsForLoop;
    /** Runs on the event loop as it takes a DATA frame of this stream. */
    private final Runnable sendTaken = this::sendTaken;

    YamuxStream(YamuxSession session, int id, boolean inbound) {
        this.session = session;
        this.id = id;
        this.inbound = inbound;
        this.ackRequested = !inbound;
    }

    // ---------------------------------------------------------------- MuxedStream

    @Override
    public long id() {
        return Integer.toUnsignedLong(id);
    }

    @Override
    public boolean inbound() {
        return inbound;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void setReadDeadline(java.time.Instant deadline) {
        lock.lock();
        try {
            hasReadDeadline = deadline != null;
            if (deadline != null) readDeadline = toNanoTime(deadline);
            readable.signalAll(); // a blocked reader re-checks against the new deadline
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setWriteDeadline(java.time.Instant deadline) {
        lock.lock();
        try {
            hasWriteDeadline = deadline != null;
            if (deadline != null) writeDeadline = toNanoTime(deadline);
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        session.signalWritable();
    }

    /** The write deadline as a {@link System#nanoTime()} value, or {@code Long.MAX_VALUE} for none. */
    long writeDeadlineNanos() {
        lock.lock();
        try {
            return hasWriteDeadline ? writeDeadline : Long.MAX_VALUE;
        } finally {
            lock.unlock();
        }
    }

    private static long toNanoTime(java.time.Instant deadline) {
        long now = System.nanoTime();
        long delta;
        try {
            delta = java.time.Duration.between(java.time.Instant.now(), deadline).toNanos();
        } catch (ArithmeticException e) {
            delta = deadline.isBefore(java.time.Instant.now()) ? Long.MIN_VALUE / 4 : Long.MAX_VALUE / 4;
        }
        delta = Math.max(Long.MIN_VALUE / 4, Math.min(Long.MAX_VALUE / 4, delta));
        return now + delta;
    }

    /**
     * Under lock: waits on {@code c} until signalled or the deadline passes (a timed park of this
     * thread, no timer thread); throws {@link StreamTimeoutException} once it has passed.
     */
    private void await(Condition c, boolean hasDeadline, long deadline, String what) throws java.io.InterruptedIOException {
        try {
            if (!hasDeadline) {
                c.await();
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new StreamTimeoutException(what + " deadline exceeded on stream " + id());
            c.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    @Override
    public void closeWrite() {
        lock.lock();
        try {
            if (writeClosed) return;
            writeClosed = true;
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        // FIN follows the data: at once on the event loop when none of this stream's data is
        // still queued for it (so it leaves with what was just written), else behind that data
        if (session.inEventLoop() && queuedSends.get() == 0) {
            session.machine().closeWrite(id);
        } else {
            session.execute(() -> session.machine().closeWrite(id));
        }
    }

    @Override
    public void reset() {
        lock.lock();
        try {
            writeClosed = true;
            if (failure != null) return;
            failure = "stream reset locally";
            releaseQueue();
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        session.execute(() -> session.machine().reset(id));
        session.execute(() -> endInline(new YamuxClosedException("stream reset locally")));
        closed.complete(null);
    }

    @Override
    public boolean tryWrite(byte[] b) throws IOException {
        int len = b.length;
        if (len == 0) return true;
        if (len > session.config().writeChunkSize() || !session.writableNow()) return false;
        boolean now = session.inEventLoop() && queuedSends.get() == 0;
        lock.lock();
        try {
            if (failure != null) throw failed();
            if (writeClosed) throw new IOException("stream closed for writing");
            if (sendCredit < len) return false;
            sendCredit -= len;
        } finally {
            lock.unlock();
        }
        ByteBuf buf = frame(b, 0, len);
        if (now) {
            session.sendDataNow(id, buf);
        } else {
            queuedSends.incrementAndGet();
            session.sendData(id, sendTaken, buf);
        }
        return true;
    }

    @Override
    public void readInline(io.ggen.p2p.core.InlineReader reader) {
        Objects.requireNonNull(reader, "reader");
        if (inlineRequested.getAndSet(true)) throw new IllegalStateException("readInline was called already on this stream");
        ensureAck();
        if (!session.execute(() -> startInline(reader))) reader.end(new YamuxClosedException("session closed"));
    }

    @Override
    public void close() {
        closeWrite();
        discardInput();
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public String toString() {
        return "YamuxStream[" + id() + (inbound ? " inbound" : " outbound") + "]";
    }

    // ---------------------------------------------------------------- from the event loop

    void onData(ByteBuf data) {
        if (inline != null) {
            deliverInline(data);
            return;
        }
        boolean report = false;
        lock.lock();
        try {
            if (failure != null) {
                data.release();
                return;
            }
            if (discard) {
                unreported += data.readableBytes();
                data.release();
                report = scheduleReport();
                return;
            }
            queue.add(data);
            buffered += data.readableBytes();
            // Inside a read burst the reader is woken once, at its end (session.readComplete):
            // one unpark per burst of frames instead of one per frame.
            if (!session.wakeAfterRead(this)) readable.signal();
        } finally {
            lock.unlock();
            if (report) session.execute(this::report);
        }
    }

    void onRemoteFin() {
        lock.lock();
        try {
            remoteFin = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        endInline(null);
    }

    void onReset(String reason) {
        lock.lock();
        try {
            writeClosed = true;
            if (failure == null) failure = reason;
            releaseQueue();
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        endInline(new YamuxClosedException(reason));
    }

    void onSendWindow(long delta) {
        lock.lock();
        try {
            sendCredit += delta;
            writable.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The stream is closed both ways and gone from the session: from here on only its reader can
     * release what is still queued, and a reader that drops the stream unread never does (a
     * leaked pooled buffer). What is left is final and at most one receive window, so it moves
     * to plain heap arrays, which the collector reclaims with the stream.
     */
    void onClosed() {
        lock.lock();
        try {
            int n = queue.size();
            for (int i = 0; i < n; i++) {
                ByteBuf b = queue.poll();
                queue.add(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(b)));
                b.release();
            }
        } finally {
            lock.unlock();
        }
        closed.complete(null);
    }

    /** Sends queued for the event loop and not yet taken (tests). */
    int queuedSends() {
        return queuedSends.get();
    }

    /** On the event loop, at the end of a read burst that queued data for this stream. */
    void wakeReader() {
        lock.lock();
        try {
            readable.signal();
        } finally {
            lock.unlock();
        }
    }

    private void sendTaken() {
        int left = queuedSends.decrementAndGet();
        if (left <= RESUME_QUEUED_SENDS && writerWaitsForLoop) {
            lock.lock();
            try {
                writable.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Under lock, in a writer: once {@link #MAX_QUEUED_SENDS} frames are queued for the event
     * loop, waits until no more than {@link #RESUME_QUEUED_SENDS} are. The wait is bounded and
     * re-checked, so a loop that is gone (its tasks never run) costs a writer at most one period
     * before the session's end reaches it.
     */
    private void awaitLoopTakes() throws IOException {
        // On the loop itself the queued frames cannot be taken while we wait.
        if (queuedSends.get() < MAX_QUEUED_SENDS || session.inEventLoop()) return;
        writerWaitsForLoop = true;
        try {
            while (queuedSends.get() > RESUME_QUEUED_SENDS && failure == null && !writeClosed && session.channelOpen()) {
                long wait = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
                if (hasWriteDeadline) {
                    long left = writeDeadline - System.nanoTime();
                    if (left <= 0) throw new StreamTimeoutException("write deadline exceeded on stream " + id());
                    wait = Math.min(wait, left);
                }
                writable.awaitNanos(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        } finally {
            writerWaitsForLoop = false;
        }
    }

    /** Bytes received and not read yet (tests). */
    long buffered() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- inline mode (event loop)

    private void startInline(io.ggen.p2p.core.InlineReader reader) {
        inline = reader;
        // What arrived before the switch (e.g. right behind the protocol negotiation) goes first.
        while (inline != null) {
            ByteBuf b;
            lock.lock();
            try {
                b = queue.poll();
                if (b != null) buffered -= b.readableBytes();
            } finally {
                lock.unlock();
            }
            if (b == null) break;
            deliverInline(b);
        }
        String why;
        boolean fin;
        lock.lock();
        try {
            why = failure;
            fin = remoteFin;
        } finally {
            lock.unlock();
        }
        if (why != null) {
            endInline(new YamuxClosedException(why));
        } else if (fin) {
            endInline(null);
        } else if (inline != null) {
            armInlineDeadline();
        }
    }

    /**
     * The read deadline set before {@link #readInline} bounds the wait for the end: a timer of
     * the event loop (no thread is woken to set or cancel it) ends the reader with a
     * {@link io.ggen.p2p.core.StreamTimeoutException} and resets the stream.
     */
    private void armInlineDeadline() {
        long left;
        lock.lock();
        try {
            if (!hasReadDeadline) return;
            left = readDeadline - System.nanoTime();
        } finally {
            lock.unlock();
        }
        if (left <= 0) {
            inlineTimedOut();
            return;
        }
        inlineDeadline = session.schedule(this::inlineTimedOut, left);
    }

    private void inlineTimedOut() {
        inlineDeadline = null;
        if (inline == null) return;
        endInline(new io.ggen.p2p.core.StreamTimeoutException("read deadline exceeded"));
        reset();
    }

    private void deliverInline(ByteBuf data) {
        io.ggen.p2p.core.InlineReader r = inline;
        int n = data.readableBytes();
        try {
            r.data(data.nioBuffer());
        } catch (IOException | RuntimeException e) {
            endInline(e instanceof IOException io ? io : new IOException(e.toString(), e));
            reset();
        } finally {
            data.release();
        }
        boolean report;
        lock.lock();
        try {
            unreported += n;
            report = unreported >= REPORT_BATCH && scheduleReport();
        } finally {
            lock.unlock();
        }
        if (report) report();
    }

    private void endInline(IOException failure) {
        io.ggen.p2p.core.InlineReader r = inline;
        if (r == null) return;
        inline = null;
        io.netty.util.concurrent.ScheduledFuture<?> timer = inlineDeadline;
        if (timer != null) {
            inlineDeadline = null;
            timer.cancel(false);
        }
        try {
            r.end(failure);
        } catch (RuntimeException e) {
            // the reader's own failure; the stream is over either way
        }
    }

    // ---------------------------------------------------------------- internals

    /**
     * A DATA frame's payload, with room for its header in front so that the frame goes out as
     * this one buffer. Heap: both ciphers take arrays as they are (OpenSSL's through critical
     * native calls, the JDK's on its fast path), with no copy into native memory.
     */
    private ByteBuf frame(byte[] b, int off, int n) {
        ByteBuf buf = session.alloc().heapBuffer(YamuxFrame.HEADER_LENGTH + n);
        buf.writerIndex(YamuxFrame.HEADER_LENGTH).readerIndex(YamuxFrame.HEADER_LENGTH);
        buf.writeBytes(b, off, n);
        return buf;
    }

    private void releaseQueue() {
        ByteBuf b;
        while ((b = queue.poll()) != null) b.release();
        buffered = 0;
    }

    private void discardInput() {
        boolean report;
        lock.lock();
        try {
            discard = true;
            unreported += buffered;
            releaseQueue();
            report = scheduleReport();
        } finally {
            lock.unlock();
        }
        if (report) session.execute(this::report);
    }

    /** Under lock: whether the caller must post {@link #report}. */
    private boolean scheduleReport() {
        if (reportScheduled || unreported == 0) return false;
        reportScheduled = true;
        return true;
    }

    /** On the event loop: tell the state machine what was read, so it can grant window. */
    private void report() {
        long n;
        lock.lock();
        try {
            n = unreported;
            unreported = 0;
            reportScheduled = false;
        } finally {
            lock.unlock();
        }
        session.machine().consumed(id, n);
        session.flushSoon();
    }

    private void ensureAck() {
        if (!ackRequested) {
            ackRequested = true;
            session.execute(() -> {
                session.machine().ack(id);
                session.flushSoon();
            });
        }
    }

    private IOException failed() {
        return new YamuxClosedException(failure);
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            ensureAck();
            int n = 0;
            boolean report;
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    if (failure != null) throw failed();
                    if (remoteFin || discard) return -1;
                    await(readable, hasReadDeadline, readDeadline, "read");
                }
                // copy from as many queued buffers as fit: fewer, larger reads at high rates
                while (n < len) {
                    ByteBuf head = queue.peek();
                    if (head == null) break;
                    int k = Math.min(len - n, head.readableBytes());
                    head.readBytes(b, off + n, k);
                    n += k;
                    if (!head.isReadable()) queue.poll().release();
                }
                buffered -= n;
                unreported += n;
                report = unreported >= REPORT_BATCH && scheduleReport();
            } finally {
                lock.unlock();
            }
            if (report) session.execute(YamuxStream.this::report);
            return n;
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return (int) Math.min(Integer.MAX_VALUE, buffered);
            } finally {
                lock.unlock();
            }
        }

        /** Stops reading: what arrives from now on is dropped (its window still given back). */
        @Override
        public void close() {
            discardInput();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            int chunk = session.config().writeChunkSize();
            long batchLimit = (long) chunk * FRAMES_PER_SEND;
            while (len > 0) {
                session.awaitWritable(writeDeadlineNanos());
                int n;
                lock.lock();
                try {
                    awaitLoopTakes();
                    while (true) {
                        if (failure != null) throw failed();
                        if (writeClosed) throw new IOException("stream closed for writing");
                        if (sendCredit > 0) break;
                        await(writable, hasWriteDeadline, writeDeadline, "write");
                    }
                    n = (int) Math.min(Math.min(len, batchLimit), sendCredit);
                    sendCredit -= n;
                } finally {
                    lock.unlock();
                }
                // One task for all frames of this write: a 64 KiB write is a frame of 65,507
                // bytes and one of 29, and as two tasks it cost two hand-offs to the loop and two
                // of the writer's queue places (HostThroughput, BENCHMARKS.md round eight).
                ByteBuf[] frames = new ByteBuf[(n + chunk - 1) / chunk];
                for (int i = 0, at = 0; i < frames.length; i++, at += chunk) {
                    frames[i] = frame(b, off + at, Math.min(chunk, n - at));
                }
                queuedSends.incrementAndGet();
                session.sendData(id, sendTaken, frames);
                off += n;
                len -= n;
            }
        }

        /** Data is always flushed by the session once queued; nothing to do. */
        @Override
        public void flush() {
        }

        @Override
        public void close() {
            closeWrite();
        }
    }
}
