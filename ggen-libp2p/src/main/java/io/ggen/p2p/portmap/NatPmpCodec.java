package io.ggen.p2p.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** NAT-PMP (RFC 6886) messages to and from bytes; pure. Version 0 only, fixed sizes, nothing trusted. */
public final class NatPmpCodec {
    /** The port a NAT-PMP (and PCP) server listens on. */
    public static final int PORT = 5351;
    public static final int VERSION = 0;
    /** Longest message: a map response. */
    public static final int MAX_SIZE = 16;
    public static final int RESULT_UNSUPPORTED_VERSION = 1;

    private NatPmpCodec() {}

    public static byte[] encode(NatPmpMessage m) {
        return switch (m) {
            case NatPmpMessage.ExternalAddressRequest r -> new byte[] {VERSION, 0};
            case NatPmpMessage.MapRequest r -> ByteBuffer.allocate(12).put((byte) VERSION).put((byte) r.protocol()).putShort((short) 0)
                    .putShort((short) r.internalPort()).putShort((short) r.suggestedExternalPort()).putInt((int) r.lifetimeSecs()).array();
            case NatPmpMessage.ExternalAddressResponse r -> ByteBuffer.allocate(12).put((byte) VERSION).put((byte) 128).putShort((short) 0)
                    .putInt((int) r.epochSecs()).put(r.address().getAddress()).array();
            case NatPmpMessage.MapResponse r -> ByteBuffer.allocate(16).put((byte) VERSION).put((byte) (128 + r.protocol())).putShort((short) 0)
                    .putInt((int) r.epochSecs()).putShort((short) r.internalPort()).putShort((short) r.externalPort()).putInt((int) r.lifetimeSecs()).array();
            case NatPmpMessage.ErrorResponse r -> ByteBuffer.allocate(8).put((byte) VERSION).put((byte) r.opcode()).putShort((short) r.resultCode())
                    .putInt((int) r.epochSecs()).array();
        };
    }

    public static NatPmpMessage decode(byte[] in) throws PortmapCodecException {
        if (in.length < 2) throw new PortmapCodecException("NAT-PMP message of " + in.length + " bytes");
        if (in.length > MAX_SIZE) throw new PortmapCodecException("NAT-PMP message of " + in.length + " bytes (at most " + MAX_SIZE + ")");
        ByteBuffer b = ByteBuffer.wrap(in);
        int version = b.get() & 0xff;
        if (version != VERSION) throw new PortmapCodecException("NAT-PMP version " + version);
        int op = b.get() & 0xff;
        if (op < 128) return decodeRequest(op, b, in.length);
        if (in.length < 8) throw new PortmapCodecException("NAT-PMP response of " + in.length + " bytes");
        int result = b.getShort() & 0xffff;
        long epoch = b.getInt() & 0xffffffffL;
        if (result != 0) return new NatPmpMessage.ErrorResponse(op, result, epoch);
        switch (op) {
            case 128 -> {
                exactly(in, 12);
                byte[] ip = new byte[4];
                b.get(ip);
                return new NatPmpMessage.ExternalAddressResponse(epoch, ipv4(ip));
            }
            case 129, 130 -> {
                exactly(in, 16);
                int internal = b.getShort() & 0xffff;
                int external = b.getShort() & 0xffff;
                long lifetime = b.getInt() & 0xffffffffL;
                return new NatPmpMessage.MapResponse(op - 128, epoch, internal, external, lifetime);
            }
            default -> throw new PortmapCodecException("NAT-PMP response opcode " + op);
        }
    }

    private static NatPmpMessage decodeRequest(int op, ByteBuffer b, int length) throws PortmapCodecException {
        switch (op) {
            case 0 -> {
                if (length != 2) throw new PortmapCodecException("NAT-PMP external address request of " + length + " bytes");
                return new NatPmpMessage.ExternalAddressRequest();
            }
            case 1, 2 -> {
                if (length != 12) throw new PortmapCodecException("NAT-PMP map request of " + length + " bytes");
                b.getShort();
                int internal = b.getShort() & 0xffff;
                int external = b.getShort() & 0xffff;
                long lifetime = b.getInt() & 0xffffffffL;
                return new NatPmpMessage.MapRequest(op, internal, external, lifetime);
            }
            default -> throw new PortmapCodecException("NAT-PMP request opcode " + op);
        }
    }

    private static void exactly(byte[] in, int n) throws PortmapCodecException {
        if (in.length != n) throw new PortmapCodecException("NAT-PMP response opcode " + (in[1] & 0xff) + " of " + in.length + " bytes (expected " + n + ")");
    }

    static Inet4Address ipv4(byte[] ip) {
        try {
            return (Inet4Address) InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
