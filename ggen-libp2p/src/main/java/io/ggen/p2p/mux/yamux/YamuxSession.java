package io.ggen.p2p.mux.yamux;

import io.ggen.p2p.mux.MemoryBudget;
import io.ggen.p2p.mux.MuxedSession;
import io.ggen.p2p.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A yamux session over a Netty channel whose pipeline carries plaintext ByteBufs (after the
 * security handler). Install it as the last handler with {@link #install}; it decodes what it
 * reads, drives a {@link YamuxStateMachine} on the event loop, and writes frames back.
 *
 * <p>Threads: everything protocol-related happens on the channel's event loop. Application
 * threads (virtual threads, typically) only block inside {@link MuxedStream} streams and post
 * tasks to the loop. Inbound streams are handed to the callback on the event loop at the end
 * of the read burst that opened them (their first data, which usually comes in the same read,
 * is then queued in them), before that burst's flush; the callback must not block (start a
 * thread per stream). So a stream answered on the event loop answers in the burst's flush, and
 * data for streams of ours that came in the same burst was handled first.
 *
 * <p>Flushing: frames written while handling a read are flushed once at read-complete; frames
 * written from tasks (application writes) are flushed by one task queued behind them, so a
 * burst of writes costs one flush and no write is left unflushed.
 */
public final class YamuxSession implements MuxedSession {
    private static final Logger log = LoggerFactory.getLogger(YamuxSession.class);

    private final boolean client;
    private final YamuxConfig config;
    private final Consumer<MuxedStream> onInboundStream;
    private final YamuxStateMachine machine;
    private final YamuxCodec.Decoder decoder;
    private final Handler handler = new Handler();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // event loop only
    private final IntObjectMap<YamuxStream> streams = new IntObjectHashMap<>();
    private final Map<Long, CompletableFuture<Duration>> pings = new HashMap<>();
    private boolean inRead;
    /** Streams given data during the current read burst, woken at its end (bounded by the streams). */
    private final java.util.ArrayDeque<YamuxStream> toWake = new java.util.ArrayDeque<>();
    private final Runnable wakeReaders = this::wakeReaders;
    private boolean wakeScheduled;
    /**
     * Streams the remote opened during the current read burst, announced at its end (bounded
     * by the streams: the state machine resets those past the unacknowledged backlog).
     */
    private final java.util.ArrayDeque<YamuxStream> toAnnounce = new java.util.ArrayDeque<>();
    private boolean flushPending;
    private boolean flushScheduled;
    private boolean started;
    private ScheduledFuture<?> keepAlive;
    private long keepAlivePing = -1;

    private volatile ChannelHandlerContext ctx;
    /**
     * The channel's event loop, known from {@link #install}: added from outside the loop, the
     * handler learns its context only when the loop runs {@code handlerAdded}, and a stream
     * opened in between must queue behind that rather than fail.
     */
    private volatile io.netty.util.concurrent.EventExecutor loop;
    /** Writers wait here while the channel's outbound buffer is above its high water mark. */
    private final java.util.concurrent.locks.ReentrantLock writabilityLock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.Condition becameWritable = writabilityLock.newCondition();
    private volatile int streamCount;

    /**
     * @param client          true on the dialer side (odd stream ids)
     * @param onInboundStream called on the event loop for each stream the remote opens; must not block
     */
    public YamuxSession(boolean client, YamuxConfig config, Consumer<MuxedStream> onInboundStream) {
        this(client, config, onInboundStream, MemoryBudget.unlimited());
    }

    /** @param budget host-wide bound on receive-buffer growth, shared by all sessions */
    public YamuxSession(boolean client, YamuxConfig config, Consumer<MuxedStream> onInboundStream, MemoryBudget budget) {
        this.client = client;
        this.config = config;
        this.onInboundStream = onInboundStream;
        this.machine = new YamuxStateMachine(client, config, new Events(), System::nanoTime, budget);
        this.decoder = new YamuxCodec.Decoder(config.maxFrameLength());
    }

    /** Creates a session and adds its handler last to {@code pipeline} (named "yamux"). */
    public static YamuxSession install(ChannelPipeline pipeline, boolean client, YamuxConfig config,
                                       Consumer<MuxedStream> onInboundStream) {
        return install(pipeline, client, config, onInboundStream, MemoryBudget.unlimited());
    }

    public static YamuxSession install(ChannelPipeline pipeline, boolean client, YamuxConfig config,
                                       Consumer<MuxedStream> onInboundStream, MemoryBudget budget) {
        YamuxSession session = new YamuxSession(client, config, onInboundStream, budget);
        session.loop = pipeline.channel().eventLoop();
        pipeline.addLast("yamux", session.handler());
        return session;
    }

    /** The handler to add last to the pipeline (once). */
    public ChannelHandler handler() {
        return handler;
    }

    /** The channel, once the handler is in a pipeline. */
    public Channel channel() {
        ChannelHandlerContext c = ctx;
        return c == null ? null : c.channel();
    }

    public boolean isClient() {
        return client;
    }

    public YamuxConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- MuxedSession

    /**
     * Opens a stream on the event loop. Called on the loop itself it opens at once (the future is
     * complete on return), so that what the caller writes next leaves with the stream's SYN.
     */
    @Override
    public CompletableFuture<MuxedStream> openStream() {
        CompletableFuture<MuxedStream> f = new CompletableFuture<>();
        Runnable open = () -> {
            try {
                int id = machine.openStream();
                YamuxStream s = new YamuxStream(this, id, false);
                streams.put(id, s);
                streamCount = streams.size();
                flushSoon();
                f.complete(s);
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        };
        if (inEventLoop()) {
            open.run();
        } else if (!execute(open)) {
            f.completeExceptionally(new YamuxClosedException("session closed"));
        }
        return f;
    }

    @Override
    public int streamCount() {
        return streamCount;
    }

    @Override
    public CompletableFuture<Duration> ping() {
        CompletableFuture<Duration> f = new CompletableFuture<>();
        if (!execute(() -> {
            try {
                long opaque = machine.ping();
                pings.put(opaque, f);
                flushSoon();
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        })) {
            f.completeExceptionally(new YamuxClosedException("session closed"));
        }
        return f;
    }

    @Override
    public void goAway() {
        execute(() -> {
            machine.goAway();
            flushSoon();
        });
    }

    @Override
    public void close() {
        if (!execute(machine::close)) closed.complete(null);
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Measured round-trip time, or null before the first pong. */
    public Duration rtt() {
        long r = machine.rttNanos();
        return r == 0 ? null : Duration.ofNanos(r);
    }

    /** Current receive window of a stream as the state machine sees it (-1: unknown); for tests and metrics. */
    CompletableFuture<Long> recvWindow(long streamId) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        if (!execute(() -> f.complete(machine.recvWindow((int) streamId)))) f.complete(-1L);
        return f;
    }

    // ---------------------------------------------------------------- for streams

    YamuxStateMachine machine() {
        return machine;
    }

    ByteBufAllocator alloc() {
        ChannelHandlerContext c = ctx;
        return c == null ? ByteBufAllocator.DEFAULT : c.alloc();
    }

    /** Runs a task on the event loop; false when the session's loop is gone or not attached. */
    boolean execute(Runnable task) {
        ChannelHandlerContext c = ctx;
        io.netty.util.concurrent.EventExecutor executor = c != null ? c.executor() : loop;
        if (executor == null) return false;
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** On the event loop: runs {@code task} there after {@code delayNanos}; null when the session's loop is gone. */
    io.netty.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        ChannelHandlerContext c = ctx;
        io.netty.util.concurrent.EventExecutor executor = c != null ? c.executor() : loop;
        if (executor == null) return null;
        try {
            return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /**
     * From a writer thread: queue DATA frames of one stream (buffers with 12 bytes of headroom),
     * in order, as one task of the event loop; {@code taken} runs on the event loop just before
     * they are handed to the state machine.
     */
    void sendData(int id, Runnable taken, ByteBuf... frames) throws IOException {
        if (!execute(() -> {
            taken.run();
            for (int i = 0; i < frames.length; i++) {
                try {
                    machine.sendData(id, frames[i]);
                } catch (RuntimeException e) {
                    for (int j = i + 1; j < frames.length; j++) frames[j].release();
                    throw e;
                }
            }
            flushSoon();
        })) {
            taken.run();
            for (ByteBuf f : frames) f.release();
            throw new YamuxClosedException("session closed");
        }
    }

    /** On the event loop, with no earlier frame of the stream still queued: send at once. */
    void sendDataNow(int id, ByteBuf buf) {
        machine.sendData(id, buf);
        flushSoon();
    }

    /**
     * On the event loop, from a stream given data: inside a read burst, remembers to wake the
     * stream's reader at the burst's end and returns true; outside one returns false (wake now).
     */
    boolean wakeAfterRead(YamuxStream s) {
        if (!inRead) return false;
        if (!s.wakeQueued) {
            s.wakeQueued = true;
            toWake.add(s);
        }
        if (!wakeScheduled) {
            // read-complete normally comes first; the task makes sure a burst that is not
            // followed by one still wakes its readers.
            wakeScheduled = true;
            ctx.executor().execute(wakeReaders);
        }
        return true;
    }

    private void announce(YamuxStream s) {
        try {
            onInboundStream.accept(s);
        } catch (RuntimeException e) {
            log.warn("inbound stream callback failed; resetting stream {}", s.id(), e);
            s.reset();
        }
    }

    /** End of a read burst: new inbound streams are announced, readers given data are woken. */
    private void wakeReaders() {
        wakeScheduled = false;
        YamuxStream s;
        while ((s = toAnnounce.poll()) != null) announce(s);
        while ((s = toWake.poll()) != null) {
            s.wakeQueued = false;
            s.wakeReader();
        }
    }

    /** Whether the connection's outbound buffer has room, i.e. a writer would not wait. */
    boolean writableNow() {
        ChannelHandlerContext c = ctx;
        return c != null && c.channel().isWritable();
    }

    /** Whether the channel is still open (true before the handler is attached). */
    boolean channelOpen() {
        ChannelHandlerContext c = ctx;
        return c == null || c.channel().isOpen();
    }

    boolean inEventLoop() {
        ChannelHandlerContext c = ctx;
        return c != null && c.executor().inEventLoop();
    }

    /**
     * On the event loop: make sure what was written gets flushed soon, once. Inside a read the
     * flush happens at read-complete; otherwise a task queued behind the tasks already waiting
     * (typically more writes) flushes them all at once.
     */
    void flushSoon() {
        if (!flushPending) return;
        if (inRead || flushScheduled) return;
        flushScheduled = true;
        ctx.executor().execute(this::flushNow);
    }

    private void flushNow() {
        flushScheduled = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    private void start() {
        if (started) return;
        started = true;
        Duration interval = config.keepAliveInterval();
        if (interval != null) {
            long nanos = interval.toNanos();
            keepAlive = ctx.executor().scheduleAtFixedRate(this::keepAlive, nanos, nanos, TimeUnit.NANOSECONDS);
        }
        flushSoon();
    }

    private void keepAlive() {
        if (machine.isClosed()) return;
        if (keepAlivePing >= 0 && machine.pingOutstanding(keepAlivePing)) {
            machine.internalError(new IOException("keep-alive ping unanswered for " + config.keepAliveInterval()));
            return;
        }
        try {
            keepAlivePing = machine.ping();
        } catch (IOException e) {
            keepAlivePing = -1;
        }
        flushSoon();
    }

    // ---------------------------------------------------------------- state machine output

    private final class Events implements YamuxStateMachine.Output {
        private final ChannelFutureListener pongWritten = f -> machine.pongWritten();

        @Override
        public void send(YamuxFrame frame) {
            ChannelHandlerContext c = ctx;
            // DATA frames only come from our writers, whose buffers carry header room.
            ByteBuf out = YamuxCodec.encode(frame, c.alloc(), frame.type() == YamuxFrame.Type.DATA);
            if (frame.type() == YamuxFrame.Type.PING && frame.has(YamuxFrame.ACK)) {
                c.write(out).addListener(pongWritten);
            } else {
                c.write(out, c.voidPromise());
            }
            flushPending = true;
            flushSoon();
        }

        @Override
        public void inboundStream(int id) {
            YamuxStream s = new YamuxStream(YamuxSession.this, id, true);
            streams.put(id, s);
            streamCount = streams.size();
            if (!inRead) {
                announce(s);
                return;
            }
            toAnnounce.add(s);
            if (!wakeScheduled) {
                // as for readers: read-complete normally comes first, the task is the backstop
                wakeScheduled = true;
                ctx.executor().execute(wakeReaders);
            }
        }

        @Override
        public void data(int id, ByteBuf data) {
            YamuxStream s = streams.get(id);
            if (s == null) {
                data.release();
            } else {
                s.onData(data);
            }
        }

        @Override
        public void remoteFin(int id) {
            YamuxStream s = streams.get(id);
            if (s != null) s.onRemoteFin();
        }

        @Override
        public void streamReset(int id, String reason) {
            YamuxStream s = streams.get(id);
            if (s != null) s.onReset(reason);
        }

        @Override
        public void sendWindow(int id, long delta) {
            YamuxStream s = streams.get(id);
            if (s != null) s.onSendWindow(delta);
        }

        @Override
        public void streamClosed(int id) {
            YamuxStream s = streams.remove(id);
            streamCount = streams.size();
            if (s != null) s.onClosed();
        }

        @Override
        public void pong(long opaque, long rttNanos) {
            CompletableFuture<Duration> f = pings.remove(opaque);
            if (f != null) f.complete(Duration.ofNanos(rttNanos));
        }

        @Override
        public void sessionClosed(Throwable cause) {
            if (cause != null) log.debug("yamux session closed: {}", cause.toString());
            if (keepAlive != null) keepAlive.cancel(false);
            if (!pings.isEmpty()) {
                List<CompletableFuture<Duration>> waiting = new ArrayList<>(pings.values());
                pings.clear();
                IOException e = new YamuxClosedException(cause == null ? "session closed" : "session closed: " + cause.getMessage(), cause);
                waiting.forEach(f -> f.completeExceptionally(e));
            }
            ChannelHandlerContext c = ctx;
            // Close once what was written (the GoAway) has gone out.
            c.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            flushPending = false;
            closed.complete(null);
        }
    }

    /**
     * Blocks the calling (application) thread while the connection's outbound buffer is full, so
     * that a remote that grants large windows but does not read cannot make us buffer without
     * bound: the send windows limit what one stream may send, this limits what the connection
     * holds. Returns at once when the session is closed (the write then fails on its own).
     * Waits while the channel is above its high water mark, until {@code deadlineNanos} (a
     * {@link System#nanoTime()} value, {@code Long.MAX_VALUE} for none).
     */
    void awaitWritable(long deadlineNanos) throws java.io.InterruptedIOException {
        ChannelHandlerContext c = ctx;
        if (c == null || c.channel().isWritable() || machine.isClosed() || c.executor().inEventLoop()) return;
        writabilityLock.lock();
        try {
            while (!c.channel().isWritable() && c.channel().isActive() && !machine.isClosed()) {
                long wait = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
                if (deadlineNanos != Long.MAX_VALUE) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) throw new io.ggen.p2p.core.StreamTimeoutException("write deadline exceeded while the connection is congested");
                    wait = Math.min(wait, left);
                }
                // bounded wait: a missed signal costs at most this long, never a hang
                becameWritable.awaitNanos(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        } finally {
            writabilityLock.unlock();
        }
    }

    void signalWritable() {
        writabilityLock.lock();
        try {
            becameWritable.signalAll();
        } finally {
            writabilityLock.unlock();
        }
    }

    // ---------------------------------------------------------------- Netty handler

    private final class Handler extends ChannelInboundHandlerAdapter {
        private final Consumer<YamuxFrame> frames = f -> machine.onFrame(f);

        @Override
        public void handlerAdded(ChannelHandlerContext c) {
            if (ctx != null) throw new IllegalStateException("yamux session handler added twice");
            ctx = c;
            if (c.channel().isActive()) start();
        }

        @Override
        public void channelActive(ChannelHandlerContext c) {
            start();
            c.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            inRead = true;
            try {
                if (!machine.isClosed()) decoder.decode(buf, frames);
            } catch (YamuxProtocolException e) {
                machine.protocolError(e.getMessage());
            } catch (RuntimeException e) {
                log.warn("yamux session failed", e);
                machine.internalError(e);
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext c) {
            // Still "in the read" while streams are announced and readers woken, so that what
            // they write goes out with this flush rather than one of its own.
            wakeReaders();
            inRead = false;
            if (flushPending) {
                flushPending = false;
                c.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext c) {
            if (c.channel().isWritable()) signalWritable();
            c.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext c) {
            inRead = false;
            wakeReaders();
            signalWritable();
            machine.transportClosed();
            closed.complete(null);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext c) {
            machine.transportClosed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            if (!machine.isClosed()) {
                log.debug("yamux connection failed: {}", cause.toString());
                machine.transportClosed();
            }
            c.close();
        }
    }
}
