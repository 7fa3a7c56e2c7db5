package io.ggen.p2p.mux.yamux;

import io.ggen.p2p.mux.MuxedStream;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Two sessions over a real loopback TCP connection. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class YamuxSessionTest {
    static final int W = (int) YamuxConfig.INITIAL_WINDOW;
    static EventLoopGroup group;
    final List<Channel> channels = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        LeakCheck.install();
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeAll() {
        channels.forEach(c -> c.close().syncUninterruptibly());
        LeakCheck.assertNoLeaks();
    }

    record Pair(YamuxSession client, YamuxSession server) {
    }

    /** Inbound streams of either side run the handler on a virtual thread, as the host will. */
    Pair connect(YamuxConfig clientConfig, YamuxConfig serverConfig, Consumer<MuxedStream> serverHandler) throws Exception {
        return connect(clientConfig, serverConfig, serverHandler, null);
    }

    /** As above; {@code clientWire}, if given, sits below the client's session and sees what it writes. */
    Pair connect(YamuxConfig clientConfig, YamuxConfig serverConfig, Consumer<MuxedStream> serverHandler,
                 io.netty.channel.ChannelHandler clientWire) throws Exception {
        CompletableFuture<YamuxSession> server = new CompletableFuture<>();
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        server.complete(YamuxSession.install(ch.pipeline(), false, serverConfig,
                                s -> Thread.ofVirtual().start(() -> serverHandler.accept(s))));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        channels.add(listener);
        CompletableFuture<YamuxSession> client = new CompletableFuture<>();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (clientWire != null) ch.pipeline().addLast(clientWire);
                        client.complete(YamuxSession.install(ch.pipeline(), true, clientConfig, MuxedStream::reset));
                    }
                }).connect(listener.localAddress()).sync().channel();
        channels.add(ch);
        return new Pair(client.get(10, TimeUnit.SECONDS), server.get(10, TimeUnit.SECONDS));
    }

    Pair connect(Consumer<MuxedStream> serverHandler) throws Exception {
        return connect(YamuxConfig.DEFAULT, YamuxConfig.DEFAULT, serverHandler);
    }

    static MuxedStream open(YamuxSession s) throws Exception {
        return s.openStream().get(10, TimeUnit.SECONDS);
    }

    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    static void echo(MuxedStream s) {
        try {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = s.in().read(buf)) >= 0) s.out().write(buf, 0, n);
            s.close();
        } catch (IOException e) {
            s.reset();
        }
    }

    /** Writes {@code total} seeded pseudo-random bytes, returns their SHA-256. */
    static byte[] writeRandom(OutputStream out, long seed, long total, int chunk) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Random r = new Random(seed);
        byte[] buf = new byte[chunk];
        for (long left = total; left > 0; ) {
            int n = (int) Math.min(chunk, left);
            r.nextBytes(buf);
            md.update(buf, 0, n);
            out.write(buf, 0, n);
            left -= n;
        }
        return md.digest();
    }

    static byte[] sha256OfRest(InputStream in, AtomicLong count) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[256 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
            count.addAndGet(n);
        }
        return md.digest();
    }

    @Test
    void transfers64MiBEachWayOnOneStreamWithIntactContent() throws Exception {
        long size = 64L << 20;
        CompletableFuture<byte[]> serverReceived = new CompletableFuture<>();
        CompletableFuture<byte[]> serverSent = new CompletableFuture<>();
        Pair p = connect(s -> {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    serverSent.complete(writeRandom(s.out(), 2, size, 64 * 1024));
                    s.closeWrite();
                } catch (Exception e) {
                    serverSent.completeExceptionally(e);
                }
            });
            try {
                serverReceived.complete(sha256OfRest(s.in(), new AtomicLong()));
                writer.join();
            } catch (Exception e) {
                serverReceived.completeExceptionally(e);
            }
        });
        MuxedStream s = open(p.client());
        AtomicLong clientCount = new AtomicLong();
        long start = System.nanoTime();
        CompletableFuture<byte[]> clientReceived = CompletableFuture.supplyAsync(() -> {
            try {
                return sha256OfRest(s.in(), clientCount);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        byte[] clientSent = writeRandom(s.out(), 1, size, 64 * 1024);
        s.closeWrite();
        assertThat(clientReceived.get(60, TimeUnit.SECONDS)).isEqualTo(serverSent.get(60, TimeUnit.SECONDS));
        assertThat(serverReceived.get(60, TimeUnit.SECONDS)).isEqualTo(clientSent);
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("yamux loopback: 2 x %d MiB in %.2f s = %.0f MB/s aggregate (incl. random generation and SHA-256)%n",
                size >> 20, secs, 2 * size / 1e6 / secs);
        assertThat(clientCount.get()).isEqualTo(size);
        s.closed().get(10, TimeUnit.SECONDS);
        await().until(() -> p.client().streamCount() == 0 && p.server().streamCount() == 0);
    }

    @Test
    void hundredConcurrentStreamsEchoTheirData() throws Exception {
        Pair p = connect(YamuxSessionTest::echo);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int seed = i;
            MuxedStream s = open(p.client());
            done.add(CompletableFuture.runAsync(() -> {
                try {
                    int size = 300 * 1024 + seed;   // over the initial window, so window updates flow
                    CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
                        try {
                            return sha256OfRest(s.in(), new AtomicLong());
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    }, r -> Thread.ofVirtual().start(r));
                    byte[] sent = writeRandom(s.out(), seed, size, 10_000);
                    s.closeWrite();
                    assertThat(echoed.get()).isEqualTo(sent);
                    s.closed().get();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, r -> Thread.ofVirtual().start(r)));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        await().until(() -> p.client().streamCount() == 0 && p.server().streamCount() == 0);
    }

    @Test
    void halfCloseLetsTheOtherSideAnswerAfterEof() throws Exception {
        Pair p = connect(s -> {
            try {
                byte[] req = readAll(s.in());
                s.out().write(("got " + new String(req, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                s.close();
            } catch (IOException e) {
                s.reset();
            }
        });
        MuxedStream s = open(p.client());
        s.out().write("hello".getBytes(StandardCharsets.UTF_8));
        s.closeWrite();
        s.closeWrite(); // idempotent
        assertThatThrownBy(() -> s.out().write(1)).isInstanceOf(IOException.class);
        assertThat(new String(readAll(s.in()), StandardCharsets.UTF_8)).isEqualTo("got hello");
        assertThat(s.in().read()).isEqualTo(-1);
        s.closed().get(10, TimeUnit.SECONDS);
    }

    /** Collects what an inline reader is given, on the I/O thread. */
    static final class Collecting implements io.ggen.p2p.core.InlineReader {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final CompletableFuture<IOException> ended = new CompletableFuture<>();
        final java.util.concurrent.atomic.AtomicBoolean offLoop = new java.util.concurrent.atomic.AtomicBoolean();
        volatile long failAfter = Long.MAX_VALUE;

        @Override
        public synchronized void data(java.nio.ByteBuffer chunk) throws IOException {
            if (!Thread.currentThread().getName().startsWith("multiThreadIoEventLoopGroup")) offLoop.set(true);
            byte[] b = new byte[chunk.remaining()];
            chunk.get(b);
            bytes.write(b, 0, b.length);
            if (bytes.size() > failAfter) throw new IOException("reader refuses");
        }

        @Override
        public void end(IOException failure) {
            ended.complete(failure);
        }

        synchronized byte[] received() {
            return bytes.toByteArray();
        }
    }

    @Test
    void inlineReaderGetsQueuedAndLaterBytesInOrderThenTheEnd() throws Exception {
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(accepted::add);
        MuxedStream s = open(p.client());
        byte[] first = new byte[3000];
        new Random(1).nextBytes(first);
        s.out().write(first);
        MuxedStream remote = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(remote.in().read(new byte[1000], 0, 1000)).isEqualTo(1000); // read some the blocking way first
        Collecting reader = new Collecting();
        remote.readInline(reader);
        // 8 MiB: many times the initial window, so the window must be given back as the reader takes it
        byte[] sha = writeRandom(s.out(), 2, 8L << 20, 16 * 1024);
        s.closeWrite();
        assertThat(reader.ended.get(20, TimeUnit.SECONDS)).isNull();
        byte[] got = reader.received();
        assertThat(got).hasSize(2000 + (8 << 20));
        assertThat(java.util.Arrays.copyOfRange(got, 0, 2000)).isEqualTo(java.util.Arrays.copyOfRange(first, 1000, 3000));
        assertThat(MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOfRange(got, 2000, got.length))).isEqualTo(sha);
        assertThat(reader.offLoop).isFalse();
        remote.close();
        s.closed().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReaderThatThrowsResetsTheStreamAndAResetEndsTheReader() throws Exception {
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(accepted::add);
        MuxedStream s = open(p.client());
        s.out().write(1);
        MuxedStream remote = accepted.poll(10, TimeUnit.SECONDS);
        Collecting refusing = new Collecting();
        refusing.failAfter = 10;
        remote.readInline(refusing);
        s.out().write(new byte[100]);
        assertThat(refusing.ended.get(10, TimeUnit.SECONDS)).hasMessageContaining("reader refuses");
        assertThatThrownBy(() -> readAll(s.in())).isInstanceOf(IOException.class); // the writer's side saw the reset
        remote.closed().get(10, TimeUnit.SECONDS);

        // the remote resets: the reader ends with a failure
        MuxedStream s2 = open(p.client());
        s2.out().write(1);
        MuxedStream remote2 = accepted.poll(10, TimeUnit.SECONDS);
        Collecting reader = new Collecting();
        remote2.readInline(reader);
        s2.reset();
        // an expected protocol event: no stack trace taken
        assertThat(reader.ended.get(10, TimeUnit.SECONDS)).isInstanceOf(YamuxClosedException.class);
        assertThat(reader.ended.get().getStackTrace()).isEmpty();
        assertThatThrownBy(() -> remote2.readInline(new Collecting())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInlineReaderEndsWithATimeoutAtTheReadDeadlineAndTheStreamIsReset() throws Exception {
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(accepted::add);
        MuxedStream s = open(p.client());
        s.out().write(1);
        MuxedStream remote = accepted.poll(10, TimeUnit.SECONDS);
        Collecting reader = new Collecting();
        remote.setReadDeadline(java.time.Instant.now().plusMillis(200));
        remote.readInline(reader);
        // the writer goes quiet: the deadline ends the reader, which had the byte sent before
        assertThat(reader.ended.get(10, TimeUnit.SECONDS)).isInstanceOf(io.ggen.p2p.core.StreamTimeoutException.class);
        assertThat(reader.received()).containsExactly(1);
        assertThatThrownBy(() -> readAll(s.in())).isInstanceOf(IOException.class); // reset
        remote.closed().get(10, TimeUnit.SECONDS);

        // an end before the deadline cancels it
        MuxedStream s2 = open(p.client());
        s2.out().write(2);
        MuxedStream remote2 = accepted.poll(10, TimeUnit.SECONDS);
        Collecting reader2 = new Collecting();
        remote2.setReadDeadline(java.time.Instant.now().plusSeconds(30));
        remote2.readInline(reader2);
        s2.closeWrite();
        assertThat(reader2.ended.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(reader2.received()).containsExactly(2);
    }

    @Test
    void tryWriteKeepsOrderWithOutAndRefusesWhenItWouldWait() throws Exception {
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(accepted::add);
        MuxedStream s = open(p.client());
        assertThat(s.tryWrite(new byte[] {1, 2})).isTrue();
        s.out().write(new byte[] {3});
        assertThat(s.tryWrite(new byte[] {4, 5})).isTrue();
        MuxedStream remote = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(remote.in().readNBytes(5)).containsExactly(1, 2, 3, 4, 5);

        // the send window used up (the remote reads nothing): tryWrite declines instead of waiting
        s.out().write(new byte[W - 5]); // the 5 bytes above took their share of the window
        assertThat(s.tryWrite(new byte[] {6})).isFalse();
        assertThat(s.tryWrite(new byte[session(p).config().writeChunkSize() + 1])).isFalse();
        assertThat(remote.in().readNBytes(W - 5)).hasSize(W - 5);
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> s.tryWrite(new byte[] {7}));
        assertThat(remote.in().read()).isEqualTo(7);
    }

    @Test
    void writerStaysAFewFramesAheadOfABusyEventLoop() throws Exception {
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(accepted::add);
        YamuxStream s = (YamuxStream) open(p.client());
        // The loop is held up (as by encrypting other frames); the window would allow 4 MiB.
        java.util.concurrent.CountDownLatch release = holdLoop(p.client());
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                byte[] chunk = new byte[16 * 1024];
                for (int i = 0; i < W / chunk.length; i++) {
                    s.out().write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        await().atMost(Duration.ofSeconds(10)).until(() -> s.queuedSends() == YamuxStream.MAX_QUEUED_SENDS);
        // The writer is blocked, not queueing the whole window behind the loop.
        assertThat(writer).isNotDone();
        assertThat(written.get()).isLessThanOrEqualTo(YamuxStream.MAX_QUEUED_SENDS * 16L * 1024);
        release.countDown();
        writer.get(10, TimeUnit.SECONDS);
        MuxedStream remote = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(remote.in().readNBytes(W)).hasSize(W);
    }

    @Test
    void aWriteOfSeveralFramesGoesToTheLoopAsOneTaskAndItsFramesLeaveWholeAndInOrder() throws Exception {
        int chunk = 1000;
        int batch = chunk * YamuxStream.FRAMES_PER_SEND;
        // the length of every DATA frame the client's session writes, in order
        List<Integer> dataFrames = java.util.Collections.synchronizedList(new ArrayList<>());
        io.netty.channel.ChannelOutboundHandlerAdapter wire = new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                io.netty.buffer.ByteBuf b = (io.netty.buffer.ByteBuf) msg;
                if (b.readableBytes() >= YamuxFrame.HEADER_LENGTH && b.getByte(b.readerIndex() + 1) == YamuxFrame.Type.DATA.code()) {
                    int length = b.getInt(b.readerIndex() + 8);
                    assertThat(b.readableBytes()).as("a frame is one buffer").isEqualTo(YamuxFrame.HEADER_LENGTH + length);
                    dataFrames.add(length);
                }
                ctx.write(msg, promise);
            }
        };
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(YamuxConfig.DEFAULT.withWriteChunkSize(chunk), YamuxConfig.DEFAULT, accepted::add, wire);
        YamuxStream s = (YamuxStream) open(p.client());
        Random r = new Random(11);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        List<Integer> expected = new ArrayList<>();
        // With the loop held, each write's tasks can be counted: one per FRAMES_PER_SEND frames.
        java.util.concurrent.CountDownLatch release = holdLoop(p.client());
        int[] counted = {chunk + 1, 3 * chunk, batch, batch + 1, 2 * batch - 1};
        int[] more = {1, chunk - 1, chunk, 1536, 3 * batch + 7, 29, 65536};
        try {
            for (int size : counted) {
                int before = s.queuedSends();
                writeRecorded(s, r, size, sent, expected, chunk, batch);
                assertThat(s.queuedSends() - before).as("tasks for a write of %d bytes", size).isEqualTo((size + batch - 1) / batch);
            }
        } finally {
            release.countDown();
        }
        for (int size : more) writeRecorded(s, r, size, sent, expected, chunk, batch);
        s.closeWrite();
        MuxedStream remote = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(remote.in().readAllBytes()).isEqualTo(sent.toByteArray());
        assertThat(dataFrames).isEqualTo(expected);
        assertThat(s.queuedSends()).isZero();
    }

    /** Writes {@code size} random bytes from the middle of an array; adds the frames they must become. */
    private static void writeRecorded(YamuxStream s, Random r, int size, ByteArrayOutputStream sent, List<Integer> frames,
                                      int chunk, int batch) throws IOException {
        byte[] b = new byte[size + 10];
        r.nextBytes(b);
        s.out().write(b, 5, size);
        sent.write(b, 5, size);
        for (int left = size; left > 0; left -= Math.min(left, batch)) {
            int inTask = Math.min(left, batch);
            for (int at = 0; at < inTask; at += chunk) frames.add(Math.min(chunk, inTask - at));
        }
    }

    /** Occupies the session's event loop until the returned latch is counted down. */
    static java.util.concurrent.CountDownLatch holdLoop(YamuxSession session) throws InterruptedException {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        session.execute(() -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    static YamuxSession session(Pair p) {
        return p.client();
    }

    @Test
    void resetInTheMiddleFailsBothDirections() throws Exception {
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(accepted::add);
        MuxedStream s = open(p.client());
        CompletableFuture<Throwable> writerFailure = CompletableFuture.supplyAsync(() -> {
            try {
                writeRandom(s.out(), 1, 64L << 20, 64 * 1024); // far more than any window: blocks
                return null;
            } catch (Exception e) {
                return e;
            }
        }, r -> Thread.ofVirtual().start(r));
        MuxedStream remote = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(remote.in().read(new byte[1000])).isPositive();
        remote.reset();
        assertThat(writerFailure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> readAll(s.in())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> remote.in().read()).isInstanceOf(IOException.class);
        s.closed().get(10, TimeUnit.SECONDS);
        remote.closed().get(10, TimeUnit.SECONDS);

        // and the other way round: the local reset fails a reader blocked on the remote side
        MuxedStream s2 = open(p.client());
        s2.out().write(1);
        MuxedStream remote2 = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(remote2.in().read()).isEqualTo(1);
        CompletableFuture<Throwable> readerFailure = CompletableFuture.supplyAsync(() -> {
            try {
                remote2.in().read();
                return null;
            } catch (IOException e) {
                return e;
            }
        }, r -> Thread.ofVirtual().start(r));
        s2.reset();
        assertThat(readerFailure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        await().until(() -> p.client().streamCount() == 0 && p.server().streamCount() == 0);
    }

    @Test
    void slowReaderThrottlesTheWriterInsteadOfBuffering() throws Exception {
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(accepted::add);
        MuxedStream s = open(p.client());
        AtomicLong written = new AtomicLong();
        int total = 4 << 20;
        CompletableFuture<byte[]> sent = CompletableFuture.supplyAsync(() -> {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                Random r = new Random(5);
                byte[] buf = new byte[16 * 1024];
                for (int i = 0; i < total / buf.length; i++) {
                    r.nextBytes(buf);
                    md.update(buf);
                    s.out().write(buf);
                    written.addAndGet(buf.length);
                }
                s.closeWrite();
                return md.digest();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        YamuxStream remote = (YamuxStream) accepted.poll(10, TimeUnit.SECONDS);
        // Nobody reads: the remote buffers exactly one initial window and the writer stops there.
        await().until(() -> remote.buffered() == W);
        assertThat(written.get()).isLessThanOrEqualTo(W);
        assertThat(sent).isNotDone();
        assertThat(remote.buffered()).isEqualTo(W);
        // Reading releases the writer.
        byte[] got = sha256OfRest(remote.in(), new AtomicLong());
        assertThat(got).isEqualTo(sent.get(30, TimeUnit.SECONDS));
        remote.close();
    }

    @Test
    void fastReaderGrowsTheWindow() throws Exception {
        // An RTT floor of one minute makes every read "fast", so growth does not depend on timing.
        YamuxConfig grow = YamuxConfig.DEFAULT.withAutoTuneRttFloor(Duration.ofMinutes(1)).withMaxStreamWindow(4 << 20);
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(grow, grow, accepted::add);
        p.client().ping().get(10, TimeUnit.SECONDS);
        p.server().ping().get(10, TimeUnit.SECONDS); // the server needs an RTT sample for auto-tuning
        MuxedStream s = open(p.client());
        CompletableFuture<byte[]> sent = CompletableFuture.supplyAsync(() -> {
            try {
                return writeRandom(s.out(), 9, 16L << 20, 64 * 1024);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        MuxedStream remote = accepted.poll(10, TimeUnit.SECONDS);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        long got = 0;
        while (got < 16L << 20) {
            int n = remote.in().read(buf);
            md.update(buf, 0, n);
            got += n;
        }
        assertThat(md.digest()).isEqualTo(sent.get(30, TimeUnit.SECONDS));
        assertThat(p.server().recvWindow(remote.id()).get(10, TimeUnit.SECONDS)).isEqualTo(4L << 20);
        s.close();
        remote.close();
    }

    @Test
    void goAwayStopsNewStreamsButLetsOpenOnesFinish() throws Exception {
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(accepted::add);
        MuxedStream s = open(p.client());
        s.out().write(7);
        MuxedStream remote = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(remote.in().read()).isEqualTo(7);
        p.client().goAway();
        assertThatThrownBy(() -> open(p.client())).hasCauseInstanceOf(IOException.class);
        await().until(() -> p.server().openStream().handle((st, e) -> {
            if (st != null) st.reset();
            return e != null;
        }).get());
        // the open stream still works both ways
        remote.out().write(8);
        assertThat(s.in().read()).isEqualTo(8);
        s.out().write(9);
        assertThat(remote.in().read()).isEqualTo(9);
        s.close();
        remote.close();
        p.client().closed().get(10, TimeUnit.SECONDS);
        p.server().closed().get(10, TimeUnit.SECONDS);
    }

    @Test
    void streamLimitsResetOrRefuseExtraStreams() throws Exception {
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(YamuxConfig.DEFAULT.withMaxStreams(6), YamuxConfig.DEFAULT.withMaxStreams(4), accepted::add);
        List<MuxedStream> streams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MuxedStream s = open(p.client());
            streams.add(s);
            try {
                s.out().write(i);
            } catch (IOException e) {
                // the fifth may already be reset
            }
        }
        // the server accepts four and resets the fifth
        assertThatThrownBy(() -> streams.get(4).in().read()).isInstanceOf(IOException.class);
        // each inbound stream reaches the handler on its own virtual thread, so in any order
        List<Integer> firstBytes = new ArrayList<>();
        for (int i = 0; i < 4; i++) firstBytes.add(accepted.poll(10, TimeUnit.SECONDS).in().read());
        assertThat(firstBytes).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(accepted).isEmpty();
        // further streams are reset too while four are open
        MuxedStream sixth = open(p.client());
        assertThatThrownBy(() -> sixth.in().read()).isInstanceOf(IOException.class);
        assertThat(p.server().streamCount()).isEqualTo(4);

        // the opener's own limit refuses locally
        Pair q = connect(YamuxConfig.DEFAULT.withMaxStreams(2), YamuxConfig.DEFAULT, accepted::add);
        open(q.client());
        open(q.client());
        assertThatThrownBy(() -> open(q.client())).isInstanceOf(ExecutionException.class).hasMessageContaining("limit");
    }

    @Test
    void unacknowledgedBacklogIsBounded() throws Exception {
        // The server's application never touches its streams, so they stay unacknowledged.
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(YamuxConfig.DEFAULT, YamuxConfig.DEFAULT.withMaxUnackedInboundStreams(3), accepted::add);
        List<MuxedStream> streams = new ArrayList<>();
        for (int i = 0; i < 4; i++) streams.add(open(p.client()));
        assertThatThrownBy(() -> streams.get(3).in().read()).isInstanceOf(IOException.class);
        await().until(() -> accepted.size() == 3);
        // using one acknowledges it and frees a place (handlers run on their own virtual threads,
        // so the queue's order is not the streams' order: pick the first stream by id)
        MuxedStream first = accepted.stream().filter(x -> x.id() == streams.get(0).id()).findFirst().orElseThrow();
        accepted.remove(first);
        streams.get(0).out().write(1);
        assertThat(first.in().read()).isEqualTo(1);
        // An answer on it proves the server has acknowledged it (the ACK travels with its first
        // frame), so the backlog has a free place before the fifth stream is opened.
        first.out().write(2);
        first.out().flush();
        assertThat(streams.get(0).in().read()).isEqualTo(2);
        MuxedStream fifth = open(p.client());
        fifth.out().write(5);
        MuxedStream accepted5 = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(accepted5).isNotNull();
        while (accepted5 != null && accepted5.id() != fifth.id()) accepted5 = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(accepted5.in().read()).isEqualTo(5);
    }

    @Test
    void pingMeasuresRoundTrip() throws Exception {
        Pair p = connect(MuxedStream::reset);
        Duration a = p.client().ping().get(10, TimeUnit.SECONDS);
        Duration b = p.server().ping().get(10, TimeUnit.SECONDS);
        assertThat(a).isPositive();
        assertThat(b).isPositive();
        assertThat(p.client().rtt()).isNotNull();
    }

    @Test
    void closingTheSessionFailsBlockedReadersAndPendingWork() throws Exception {
        BlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
        Pair p = connect(accepted::add);
        MuxedStream s = open(p.client());
        s.out().write(1);
        MuxedStream remote = accepted.poll(10, TimeUnit.SECONDS);
        CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                s.in().read();
                return null;
            } catch (IOException e) {
                return e;
            }
        }, r -> Thread.ofVirtual().start(r));
        remote.in().read();
        p.client().close();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        s.closed().get(10, TimeUnit.SECONDS);
        p.client().closed().get(10, TimeUnit.SECONDS);
        p.server().closed().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> remote.in().read()).isInstanceOf(IOException.class);
        remote.closed().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> p.client().ping().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> open(p.client())).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> s.out().write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void closeDiscardsUnreadInputButTheRemoteCanFinish() throws Exception {
        CompletableFuture<Void> serverDone = new CompletableFuture<>();
        Pair p = connect(s -> {
            try {
                writeRandom(s.out(), 3, 2 << 20, 32 * 1024); // more than a window: needs our grants
                s.close();
                s.closed().get();
                serverDone.complete(null);
            } catch (Exception e) {
                serverDone.completeExceptionally(e);
            }
        });
        MuxedStream s = open(p.client());
        s.out().write(1); // opens the stream on the server
        assertThat(s.in().read()).isGreaterThanOrEqualTo(0);
        s.close();
        serverDone.get(30, TimeUnit.SECONDS);
        s.closed().get(10, TimeUnit.SECONDS);
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        assertThat(s.in().read()).isEqualTo(-1);
        assertThat(ignored.size()).isZero();
    }

    @Test
    void aStreamLeftUnreadAfterBothSidesClosedLeavesNoBufferBehind() throws Exception {
        Pair p = connect(s -> {
            try {
                s.in().read();
                s.out().write("the answer nobody reads".getBytes(StandardCharsets.UTF_8));
                s.close();
            } catch (IOException e) {
                s.reset();
            }
        });
        // A caller that asks, half-closes, and then drops the stream without reading the answer
        // or closing it (a caller that gave up on it): the stream is closed both ways with the
        // answer still queued, and nothing refers to it once dropped.
        openAskAndDrop(p.client());
        LeakCheck.assertNoLeaks();
    }

    private static void openAskAndDrop(YamuxSession session) throws Exception {
        MuxedStream s = open(session);
        s.out().write(1);
        s.closeWrite();
        s.closed().get(10, TimeUnit.SECONDS);
        assertThat(s.in().available()).isPositive();
    }
}
