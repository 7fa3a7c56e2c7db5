package io.ggen.p2p.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * PCP (RFC 6887) MAP messages to and from bytes; pure. Decoding checks the size (at most
 * {@link #MAX_SIZE}, a multiple of 4), the version, and walks options within their bounds
 * without keeping them (we send none, and a client needs none back).
 */
public final class PcpCodec {
    public static final int VERSION = 2;
    /** RFC 6887: a PCP message is at most 1100 bytes. */
    public static final int MAX_SIZE = 1100;
    public static final int OPCODE_MAP = 1;
    static final int HEADER = 24;
    static final int MAP_DATA = 36;

    public static final int SUCCESS = 0;
    public static final int UNSUPP_VERSION = 1;
    public static final int NOT_AUTHORIZED = 2;
    public static final int NO_RESOURCES = 8;
    public static final int CANNOT_PROVIDE_EXTERNAL = 11;

    private PcpCodec() {}

    public static byte[] encode(PcpMessage m) {
        return switch (m) {
            case PcpMessage.MapRequest r -> {
                ByteBuffer b = ByteBuffer.allocate(HEADER + MAP_DATA);
                b.put((byte) VERSION).put((byte) OPCODE_MAP).putShort((short) 0).putInt((int) r.lifetimeSecs()).put(ip16(r.clientAddress()));
                mapData(b, r.nonce(), r.protocol(), r.internalPort(), r.suggestedExternalPort(), r.suggestedExternalAddress());
                yield b.array();
            }
            case PcpMessage.MapResponse r -> {
                ByteBuffer b = ByteBuffer.allocate(HEADER + MAP_DATA);
                responseHeader(b, OPCODE_MAP, r.resultCode(), r.lifetimeSecs(), r.epochSecs());
                mapData(b, r.nonce(), r.protocol(), r.internalPort(), r.assignedExternalPort(), r.assignedExternalAddress());
                yield b.array();
            }
            case PcpMessage.HeaderResponse r -> {
                ByteBuffer b = ByteBuffer.allocate(HEADER);
                responseHeader(b, r.opcode(), r.resultCode(), r.lifetimeSecs(), r.epochSecs());
                yield b.array();
            }
        };
    }

    private static void responseHeader(ByteBuffer b, int opcode, int result, long lifetime, long epoch) {
        b.put((byte) VERSION).put((byte) (0x80 | opcode)).put((byte) 0).put((byte) result).putInt((int) lifetime).putInt((int) epoch).put(new byte[12]);
    }

    private static void mapData(ByteBuffer b, PcpMessage.Nonce nonce, int protocol, int internal, int external, InetAddress addr) {
        b.putLong(nonce.high()).putInt(nonce.low()).put((byte) protocol).put(new byte[3]).putShort((short) internal).putShort((short) external).put(ip16(addr));
    }

    /** The 16-byte form: IPv4 as {@code ::ffff:a.b.c.d}. */
    static byte[] ip16(InetAddress a) {
        byte[] raw = a.getAddress();
        if (raw.length == 16) return raw;
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(raw, 0, out, 12, 4);
        return out;
    }

    public static PcpMessage decode(byte[] in) throws PortmapCodecException {
        if (in.length < HEADER) throw new PortmapCodecException("PCP message of " + in.length + " bytes (at least " + HEADER + ")");
        if (in.length > MAX_SIZE) throw new PortmapCodecException("PCP message of " + in.length + " bytes (at most " + MAX_SIZE + ")");
        if (in.length % 4 != 0) throw new PortmapCodecException("PCP message of " + in.length + " bytes, not a multiple of 4");
        ByteBuffer b = ByteBuffer.wrap(in);
        int version = b.get() & 0xff;
        if (version != VERSION) throw new PortmapCodecException("PCP version " + version);
        int rop = b.get() & 0xff;
        int opcode = rop & 0x7f;
        if ((rop & 0x80) == 0) {
            if (opcode != OPCODE_MAP) throw new PortmapCodecException("PCP request opcode " + opcode);
            b.getShort();
            long lifetime = b.getInt() & 0xffffffffL;
            InetAddress client = ip(b);
            if (in.length < HEADER + MAP_DATA) throw new PortmapCodecException("PCP MAP request of " + in.length + " bytes");
            PcpMessage.Nonce nonce = new PcpMessage.Nonce(b.getLong(), b.getInt());
            int protocol = b.get() & 0xff;
            b.get(new byte[3]);
            int internal = b.getShort() & 0xffff;
            int external = b.getShort() & 0xffff;
            InetAddress suggested = ip(b);
            skipOptions(b);
            return new PcpMessage.MapRequest(lifetime, client, nonce, protocol, internal, external, suggested);
        }
        b.get();
        int result = b.get() & 0xff;
        long lifetime = b.getInt() & 0xffffffffL;
        long epoch = b.getInt() & 0xffffffffL;
        b.position(HEADER);
        if (opcode != OPCODE_MAP || in.length < HEADER + MAP_DATA) {
            skipOptions(b);
            return new PcpMessage.HeaderResponse(opcode, result, lifetime, epoch);
        }
        PcpMessage.Nonce nonce = new PcpMessage.Nonce(b.getLong(), b.getInt());
        int protocol = b.get() & 0xff;
        b.get(new byte[3]);
        int internal = b.getShort() & 0xffff;
        int external = b.getShort() & 0xffff;
        InetAddress assigned = ip(b);
        skipOptions(b);
        return new PcpMessage.MapResponse(result, lifetime, epoch, nonce, protocol, internal, external, assigned);
    }

    /** Options: code, reserved, 16-bit length, data padded to 4 bytes; each must fit in what is left. */
    private static void skipOptions(ByteBuffer b) throws PortmapCodecException {
        while (b.hasRemaining()) {
            if (b.remaining() < 4) throw new PortmapCodecException("PCP option header cut short");
            b.get();
            b.get();
            int length = b.getShort() & 0xffff;
            int padded = (length + 3) & ~3;
            if (padded > b.remaining()) throw new PortmapCodecException("PCP option of " + length + " bytes with " + b.remaining() + " left");
            b.position(b.position() + padded);
        }
    }

    private static InetAddress ip(ByteBuffer b) {
        byte[] raw = new byte[16];
        b.get(raw);
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code ::ffff:0.0.0.0}, the "no preference" external address for an IPv4 mapping. */
    public static InetAddress anyIpv4() {
        return NatPmpCodec.ipv4(new byte[4]);
    }

    static boolean isIpv4(InetAddress a) {
        return a instanceof Inet4Address;
    }
}
