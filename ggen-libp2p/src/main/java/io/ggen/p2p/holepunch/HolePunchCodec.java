package io.ggen.p2p.holepunch;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ggen.p2p.holepunch.pb.HolePunchProto;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DCUtR messages on the wire: a {@code HolePunch} protobuf preceded by its length. Hostile input:
 * messages over {@value #MAX_MESSAGE_SIZE} bytes are refused before allocation (the spec's 4 KiB),
 * at most {@value #MAX_ADDRS} addresses are kept, unparseable ones are dropped.
 */
public final class HolePunchCodec {
    public static final String PROTOCOL = "/libp2p/dcutr";
    public static final int MAX_MESSAGE_SIZE = 4096;
    public static final int MAX_ADDRS = 16;

    private HolePunchCodec() {}

    public static byte[] encode(HolePunchMessage m) {
        HolePunchProto.HolePunch.Builder b = HolePunchProto.HolePunch.newBuilder();
        switch (m) {
            case HolePunchMessage.Connect c -> {
                b.setType(HolePunchProto.HolePunch.Type.CONNECT);
                c.addrs().stream().limit(MAX_ADDRS).forEach(a -> b.addObsAddrs(ByteString.copyFrom(a.toBytes())));
            }
            case HolePunchMessage.Sync s -> b.setType(HolePunchProto.HolePunch.Type.SYNC);
        }
        return b.build().toByteArray();
    }

    public static void write(OutputStream out, HolePunchMessage m) throws IOException {
        LengthPrefixed.write(out, encode(m));
    }

    /** Reads one message; empty when the stream ended before it. */
    public static Optional<HolePunchMessage> read(InputStream in) throws IOException {
        Optional<byte[]> body;
        try {
            body = LengthPrefixed.read(in, MAX_MESSAGE_SIZE);
        } catch (LengthPrefixed.FrameException e) {
            throw new HolePunchException("bad message length: " + e.getMessage(), e);
        }
        return body.isEmpty() ? Optional.empty() : Optional.of(decode(body.get()));
    }

    public static HolePunchMessage decode(byte[] body) throws HolePunchException {
        if (body.length > MAX_MESSAGE_SIZE) throw new HolePunchException("message of " + body.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        HolePunchProto.HolePunch pb;
        try {
            pb = HolePunchProto.HolePunch.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new HolePunchException("malformed message: " + e.getMessage(), e);
        }
        return switch (pb.getType()) {
            case CONNECT -> {
                List<Multiaddr> addrs = new ArrayList<>();
                for (ByteString a : pb.getObsAddrsList()) {
                    if (addrs.size() == MAX_ADDRS) break;
                    Multiaddr.tryFromBytes(a.toByteArray()).ifPresent(addrs::add);
                }
                yield new HolePunchMessage.Connect(addrs);
            }
            case SYNC -> new HolePunchMessage.Sync();
        };
    }
}
