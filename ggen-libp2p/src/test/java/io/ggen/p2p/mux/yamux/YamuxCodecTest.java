package io.ggen.p2p.mux.yamux;

import io.ggen.p2p.mux.yamux.YamuxFrame.Type;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class YamuxCodecTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    static ByteBuf encode(YamuxFrame... frames) {
        ByteBuf out = Unpooled.buffer();
        for (YamuxFrame f : frames) {
            ByteBuf b = YamuxCodec.encode(f, ALLOC, false);
            out.writeBytes(b);
            b.release();
        }
        return out;
    }

    static void append(ByteBuf wire, YamuxFrame f) {
        ByteBuf b = encode(f);
        wire.writeBytes(b);
        b.release();
    }

    static List<YamuxFrame> decodeAll(YamuxCodec.Decoder d, ByteBuf in) throws YamuxProtocolException {
        List<YamuxFrame> out = new ArrayList<>();
        d.decode(in, out::add);
        return out;
    }

    @Test
    void headerLayoutIsBigEndianPerSpec() {
        ByteBuf b = encode(YamuxFrame.windowUpdate(YamuxFrame.SYN | YamuxFrame.FIN, 0x01020304, 0xA0B0C0D0L));
        byte[] bytes = new byte[12];
        b.readBytes(bytes);
        assertThat(bytes).containsExactly(0, 1, 0, 5, 1, 2, 3, 4, (byte) 0xA0, (byte) 0xB0, (byte) 0xC0, (byte) 0xD0);
        b.release();
    }

    @Test
    void roundTripsEveryType() throws Exception {
        ByteBuf in = encode(
                YamuxFrame.data(YamuxFrame.SYN, 1, Unpooled.wrappedBuffer(new byte[]{1, 2, 3})),
                YamuxFrame.windowUpdate(YamuxFrame.ACK, 2, 1000),
                YamuxFrame.ping(YamuxFrame.SYN, 0xFFFF_FFFFL),
                YamuxFrame.goAway(YamuxFrame.GoAwayCode.PROTOCOL_ERROR),
                YamuxFrame.data(YamuxFrame.FIN, 0xFFFF_FFFF, Unpooled.EMPTY_BUFFER));
        List<YamuxFrame> frames = decodeAll(new YamuxCodec.Decoder(1 << 20), in);
        assertThat(frames).extracting(YamuxFrame::type).containsExactly(Type.DATA, Type.WINDOW_UPDATE, Type.PING, Type.GO_AWAY, Type.DATA);
        assertThat(frames.get(0).flags()).isEqualTo(YamuxFrame.SYN);
        assertThat(frames.get(0).data().readableBytes()).isEqualTo(3);
        assertThat(frames.get(1).length()).isEqualTo(1000);
        assertThat(frames.get(2).length()).isEqualTo(0xFFFF_FFFFL);
        assertThat(frames.get(3).length()).isEqualTo(1);
        assertThat(frames.get(4).streamIdUnsigned()).isEqualTo(0xFFFF_FFFFL);
        assertThat(frames.get(4).has(YamuxFrame.FIN)).isTrue();
        frames.forEach(f -> f.data().release());
        assertThat(in.isReadable()).isFalse();
        in.release();
    }

    @Test
    void encodesHeaderInPlaceWhenPayloadHasHeadroom() {
        ByteBuf payload = Unpooled.buffer(12 + 4);
        payload.writerIndex(12).readerIndex(12);
        payload.writeInt(42);
        ByteBuf out = YamuxCodec.encode(YamuxFrame.data(0, 3, payload), ALLOC, true);
        assertThat(out).isSameAs(payload);
        assertThat(out.readableBytes()).isEqualTo(16);
        assertThat(out.getInt(out.readerIndex() + 8)).isEqualTo(4);
        out.release();
    }

    @Test
    void rejectsWrongVersionUnknownTypeAndMisplacedFrames() {
        byte[][] bad = {
                {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0},      // version 1
                {0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0},      // type 4
                {0, 2, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0},      // ping on stream 1
                {0, 3, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0},      // go away on stream 7
                {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},      // data on stream 0
                {0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},      // window update on stream 0
        };
        for (byte[] b : bad) {
            YamuxCodec.Decoder d = new YamuxCodec.Decoder(1 << 20);
            ByteBuf in = Unpooled.wrappedBuffer(b);
            assertThatThrownBy(() -> d.decode(in, f -> f.data().release())).isInstanceOf(YamuxProtocolException.class);
            // and stays failed
            assertThatThrownBy(() -> d.decode(Unpooled.wrappedBuffer(new byte[1]), f -> { })).isInstanceOf(YamuxProtocolException.class);
        }
    }

    @Test
    void oversizedDataLengthFailsOnTheHeaderAlone() {
        YamuxCodec.Decoder d = new YamuxCodec.Decoder(256 * 1024);
        // header only, claiming 4 GiB - 1: nothing may be allocated for it
        ByteBuf in = Unpooled.wrappedBuffer(new byte[]{0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        assertThatThrownBy(() -> d.decode(in, f -> { })).isInstanceOf(YamuxProtocolException.class).hasMessageContaining("exceeds");
    }

    @Test
    void splitDataFrameKeepsSynOnFirstAndFinOnLastPiece() throws Exception {
        ByteBuf all = encode(YamuxFrame.data(YamuxFrame.SYN | YamuxFrame.FIN, 1, Unpooled.wrappedBuffer(new byte[100])));
        YamuxCodec.Decoder d = new YamuxCodec.Decoder(1 << 20);
        List<YamuxFrame> frames = new ArrayList<>();
        // header split in two, payload in three pieces
        for (int cut : new int[]{5, 7, 30, 40, 30}) {
            ByteBuf piece = all.readRetainedSlice(cut);
            d.decode(piece, frames::add);
            piece.release();
        }
        assertThat(frames).hasSize(3);
        assertThat(frames.get(0).flags()).isEqualTo(YamuxFrame.SYN);
        assertThat(frames.get(1).flags()).isZero();
        assertThat(frames.get(2).flags()).isEqualTo(YamuxFrame.FIN);
        assertThat(frames).extracting(YamuxFrame::length).containsExactly(30L, 40L, 30L);
        frames.forEach(f -> f.data().release());
        all.release();
    }

    /** Any frames, cut at any points: same non-data frames in order, same bytes per stream, flags kept. */
    @Test
    void decodingIsIndependentOfHowInputIsSplit() {
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 40), integers().between(1, 3000))
                .checkAssert((seed, frameCount, maxCut) -> {
                    Random r = new Random(seed);
                    ByteBuf wire = Unpooled.buffer();
                    Map<Integer, ByteArrayOutputStream> sent = new LinkedHashMap<>();
                    List<String> control = new ArrayList<>();
                    for (int i = 0; i < frameCount; i++) {
                        int kind = r.nextInt(4);
                        int stream = 1 + r.nextInt(5);
                        if (kind < 2) {
                            byte[] data = new byte[r.nextInt(5000)];
                            r.nextBytes(data);
                            int flags = r.nextInt(16);
                            sent.computeIfAbsent(stream, k -> new ByteArrayOutputStream()).writeBytes(data);
                            control.add("D" + stream + ":" + flags);
                            append(wire, YamuxFrame.data(flags, stream, Unpooled.wrappedBuffer(data)));
                        } else if (kind == 2) {
                            long v = r.nextLong() & YamuxFrame.MAX_UINT32;
                            control.add("W" + stream + ":" + v);
                            append(wire, YamuxFrame.windowUpdate(0, stream, v));
                        } else {
                            long v = r.nextLong() & YamuxFrame.MAX_UINT32;
                            control.add("P" + v);
                            append(wire, YamuxFrame.ping(YamuxFrame.SYN, v));
                        }
                    }
                    YamuxCodec.Decoder d = new YamuxCodec.Decoder(1 << 20);
                    Map<Integer, ByteArrayOutputStream> got = new LinkedHashMap<>();
                    List<String> seen = new ArrayList<>();
                    List<ByteBuf> pieces = new ArrayList<>();
                    try {
                        while (wire.isReadable()) {
                            ByteBuf piece = wire.readRetainedSlice(Math.min(wire.readableBytes(), 1 + r.nextInt(maxCut)));
                            pieces.add(piece);
                            d.decode(piece, f -> {
                                switch (f.type()) {
                                    case DATA -> {
                                        byte[] b = new byte[f.data().readableBytes()];
                                        f.data().readBytes(b);
                                        f.data().release();
                                        got.computeIfAbsent(f.streamId(), k -> new ByteArrayOutputStream()).writeBytes(b);
                                    }
                                    case WINDOW_UPDATE -> seen.add("W" + f.streamId() + ":" + f.length());
                                    case PING -> seen.add("P" + f.length());
                                    default -> throw new AssertionError(f);
                                }
                            });
                        }
                    } catch (YamuxProtocolException e) {
                        throw new AssertionError(e);
                    }
                    pieces.forEach(ByteBuf::release);
                    wire.release();
                    for (var e : sent.entrySet()) {
                        assertThat(got.getOrDefault(e.getKey(), new ByteArrayOutputStream()).toByteArray())
                                .isEqualTo(e.getValue().toByteArray());
                    }
                    // window updates and pings arrive whole and in order relative to each other
                    assertThat(seen.stream().filter(s -> !s.startsWith("D")).toList())
                            .isEqualTo(control.stream().filter(s -> !s.startsWith("D")).toList());
                });
    }

    /** Random bytes: only YamuxProtocolException, and every emitted payload is a slice we can release. */
    @Test
    void randomBytesNeverEscapeAsOtherExceptions() {
        Gen<byte[]> bytes = Generate.byteArrays(Generate.range(0, 400), Generate.bytes((byte) -128, (byte) 127, (byte) 0));
        qt().withExamples(2000).forAll(bytes, integers().between(1, 50)).checkAssert((b, cut) -> {
            YamuxCodec.Decoder d = new YamuxCodec.Decoder(300);
            ByteBuf in = Unpooled.wrappedBuffer(b);
            try {
                while (in.isReadable()) {
                    ByteBuf piece = in.readSlice(Math.min(cut, in.readableBytes()));
                    d.decode(piece, f -> {
                        assertThat(f.length()).isLessThanOrEqualTo(YamuxFrame.MAX_UINT32);
                        if (f.type() == Type.DATA) assertThat(f.length()).isLessThanOrEqualTo(300);
                        f.data().release();
                    });
                }
            } catch (YamuxProtocolException expected) {
                // clean failure
            }
            assertThat(in.refCnt()).isEqualTo(1);
            in.release();
        });
    }
}
