package io.ggen.p2p.mux.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One yamux frame: the 12-byte header fields and, for {@link Type#DATA}, the payload.
 *
 * <p>{@code streamId} is an unsigned 32-bit value carried in an {@code int}; {@code length} is
 * the unsigned 32-bit header field (payload length, window delta, ping opaque value or GoAway
 * code depending on the type). For DATA frames {@code data} holds exactly {@code length} bytes
 * and the frame owns one reference to it; for the other types it is empty.
 */
public record YamuxFrame(Type type, int flags, int streamId, long length, ByteBuf data) {

    public static final int VERSION = 0;
    public static final int HEADER_LENGTH = 12;

    public static final int SYN = 0x1;
    public static final int ACK = 0x2;
    public static final int FIN = 0x4;
    public static final int RST = 0x8;

    /** Largest value of the 32-bit length field. */
    public static final long MAX_UINT32 = 0xFFFF_FFFFL;

    public enum Type {
        DATA, WINDOW_UPDATE, PING, GO_AWAY;

        private static final Type[] VALUES = values();

        /** The type for a wire code, or null when the code is unknown. */
        public static Type of(int code) {
            return code >= 0 && code < VALUES.length ? VALUES[code] : null;
        }

        public int code() {
            return ordinal();
        }
    }

    /** GoAway codes of the spec. */
    public enum GoAwayCode {
        NORMAL(0), PROTOCOL_ERROR(1), INTERNAL_ERROR(2);

        public final int code;

        GoAwayCode(int code) {
            this.code = code;
        }
    }

    public YamuxFrame {
        if (type == null) throw new IllegalArgumentException("type");
        if ((flags & ~0xFFFF) != 0) throw new IllegalArgumentException("flags: " + flags);
        if (length < 0 || length > MAX_UINT32) throw new IllegalArgumentException("length: " + length);
        if (type == Type.DATA) {
            if (data == null || data.readableBytes() != length) {
                throw new IllegalArgumentException("data frame length " + length + " does not match payload");
            }
        } else if (data == null) {
            data = Unpooled.EMPTY_BUFFER;
        } else if (data.isReadable()) {
            throw new IllegalArgumentException(type + " frame with payload");
        }
    }

    public static YamuxFrame data(int flags, int streamId, ByteBuf data) {
        return new YamuxFrame(Type.DATA, flags, streamId, data.readableBytes(), data);
    }

    public static YamuxFrame windowUpdate(int flags, int streamId, long delta) {
        return new YamuxFrame(Type.WINDOW_UPDATE, flags, streamId, delta, null);
    }

    public static YamuxFrame ping(int flags, long opaque) {
        return new YamuxFrame(Type.PING, flags, 0, opaque, null);
    }

    public static YamuxFrame goAway(GoAwayCode code) {
        return new YamuxFrame(Type.GO_AWAY, 0, 0, code.code, null);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public long streamIdUnsigned() {
        return Integer.toUnsignedLong(streamId);
    }

    @Override
    public String toString() {
        StringBuilder f = new StringBuilder();
        if (has(SYN)) f.append("SYN|");
        if (has(ACK)) f.append("ACK|");
        if (has(FIN)) f.append("FIN|");
        if (has(RST)) f.append("RST|");
        if (!f.isEmpty()) f.setLength(f.length() - 1);
        return "YamuxFrame[" + type + " flags=" + f + " stream=" + streamIdUnsigned() + " length=" + length + "]";
    }
}
