package io.ggen.p2p.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.protocol.LengthPrefixed;
import io.ggen.p2p.relay.RelayMessage.Connect;
import io.ggen.p2p.relay.RelayMessage.Hop;
import io.ggen.p2p.relay.RelayMessage.HopStatus;
import io.ggen.p2p.relay.RelayMessage.PeerInfo;
import io.ggen.p2p.relay.RelayMessage.Reservation;
import io.ggen.p2p.relay.RelayMessage.Reserve;
import io.ggen.p2p.relay.RelayMessage.Status;
import io.ggen.p2p.relay.RelayMessage.Stop;
import io.ggen.p2p.relay.RelayMessage.StopConnect;
import io.ggen.p2p.relay.RelayMessage.StopStatus;
import io.ggen.p2p.relay.pb.CircuitProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hop and stop messages on the wire: protobuf preceded by its length as an unsigned varint.
 * Decoding treats the bytes as hostile: the length is checked before allocation, address lists
 * are cut at {@link #MAX_ADDRS} and unparseable addresses dropped, and the only exception is
 * {@link RelayProtocolException}.
 */
public final class RelayCodec {
    public static final String HOP_PROTOCOL = "/libp2p/circuit/relay/0.2.0/hop";
    public static final String STOP_PROTOCOL = "/libp2p/circuit/relay/0.2.0/stop";
    /** Largest message read, as js-libp2p's relay (4 KiB). */
    public static final int MAX_MESSAGE_SIZE = 4096;
    /** Addresses kept from one peer or reservation field; the rest are ignored. */
    public static final int MAX_ADDRS = 16;

    private RelayCodec() {}

    // ------------------------------------------------------------------ encoding

    public static byte[] encode(Hop m) {
        CircuitProto.HopMessage.Builder b = CircuitProto.HopMessage.newBuilder();
        switch (m) {
            case Reserve r -> b.setType(CircuitProto.HopMessage.Type.RESERVE);
            case Connect c -> b.setType(CircuitProto.HopMessage.Type.CONNECT).setPeer(peer(c.peer()));
            case HopStatus s -> {
                b.setType(CircuitProto.HopMessage.Type.STATUS).setStatus(status(s.status()));
                s.reservation().ifPresent(r -> {
                    CircuitProto.Reservation.Builder rb = CircuitProto.Reservation.newBuilder().setExpire(r.expireEpochSeconds());
                    r.addrs().forEach(a -> rb.addAddrs(ByteString.copyFrom(a.toBytes())));
                    r.voucher().ifPresent(v -> rb.setVoucher(ByteString.copyFrom(v)));
                    b.setReservation(rb);
                });
                s.limit().ifPresent(l -> b.setLimit(limit(l)));
            }
        }
        return b.build().toByteArray();
    }

    public static byte[] encode(Stop m) {
        CircuitProto.StopMessage.Builder b = CircuitProto.StopMessage.newBuilder();
        switch (m) {
            case StopConnect c -> {
                b.setType(CircuitProto.StopMessage.Type.CONNECT).setPeer(peer(c.peer()));
                c.limit().ifPresent(l -> b.setLimit(limit(l)));
            }
            case StopStatus s -> b.setType(CircuitProto.StopMessage.Type.STATUS).setStatus(status(s.status()));
        }
        return b.build().toByteArray();
    }

    public static void write(OutputStream out, Hop m) throws IOException {
        LengthPrefixed.write(out, encode(m));
    }

    public static void write(OutputStream out, Stop m) throws IOException {
        LengthPrefixed.write(out, encode(m));
    }

    private static CircuitProto.Peer peer(PeerInfo p) {
        CircuitProto.Peer.Builder b = CircuitProto.Peer.newBuilder().setId(ByteString.copyFrom(p.id().toBytes()));
        p.addrs().forEach(a -> b.addAddrs(ByteString.copyFrom(a.toBytes())));
        return b.build();
    }

    private static CircuitProto.Limit limit(ConnectionLimit l) {
        CircuitProto.Limit.Builder b = CircuitProto.Limit.newBuilder();
        if (!l.duration().isZero()) b.setDuration((int) Math.min(0xffffffffL, l.duration().toSeconds()));
        if (l.dataBytes() != 0) b.setData(l.dataBytes());
        return b.build();
    }

    private static CircuitProto.Status status(Status s) {
        CircuitProto.Status pb = CircuitProto.Status.forNumber(s.code);
        return pb == null ? CircuitProto.Status.UNUSED : pb;
    }

    // ------------------------------------------------------------------ decoding

    /** Reads one hop message; empty when the stream ended before it. */
    public static Optional<Hop> readHop(InputStream in) throws IOException {
        byte[] body = frame(in);
        return body == null ? Optional.empty() : Optional.of(decodeHop(body));
    }

    /** Reads one stop message; empty when the stream ended before it. */
    public static Optional<Stop> readStop(InputStream in) throws IOException {
        byte[] body = frame(in);
        return body == null ? Optional.empty() : Optional.of(decodeStop(body));
    }

    private static byte[] frame(InputStream in) throws IOException {
        try {
            return LengthPrefixed.read(in, MAX_MESSAGE_SIZE).orElse(null);
        } catch (LengthPrefixed.FrameException e) {
            throw new RelayProtocolException("bad relay message length: " + e.getMessage(), e);
        }
    }

    public static Hop decodeHop(byte[] body) throws RelayProtocolException {
        if (body.length > MAX_MESSAGE_SIZE) throw new RelayProtocolException("hop message of " + body.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        CircuitProto.HopMessage pb;
        try {
            pb = CircuitProto.HopMessage.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new RelayProtocolException("malformed hop message: " + e.getMessage(), e);
        }
        if (!pb.hasType()) throw new RelayProtocolException("hop message without a type");
        return switch (pb.getType()) {
            case RESERVE -> new Reserve();
            case CONNECT -> {
                if (!pb.hasPeer()) throw new RelayProtocolException("hop CONNECT without a peer");
                yield new Connect(peerInfo(pb.getPeer()));
            }
            case STATUS -> {
                if (!pb.hasStatus()) throw new RelayProtocolException("hop STATUS without a status");
                Optional<Reservation> r = pb.hasReservation() ? Optional.of(reservation(pb.getReservation())) : Optional.empty();
                Optional<ConnectionLimit> l = pb.hasLimit() ? Optional.of(limit(pb.getLimit())) : Optional.empty();
                yield new HopStatus(Status.of(pb.getStatus().getNumber()), r, l);
            }
        };
    }

    public static Stop decodeStop(byte[] body) throws RelayProtocolException {
        if (body.length > MAX_MESSAGE_SIZE) throw new RelayProtocolException("stop message of " + body.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        CircuitProto.StopMessage pb;
        try {
            pb = CircuitProto.StopMessage.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new RelayProtocolException("malformed stop message: " + e.getMessage(), e);
        }
        if (!pb.hasType()) throw new RelayProtocolException("stop message without a type");
        return switch (pb.getType()) {
            case CONNECT -> {
                if (!pb.hasPeer()) throw new RelayProtocolException("stop CONNECT without a peer");
                yield new StopConnect(peerInfo(pb.getPeer()), pb.hasLimit() ? Optional.of(limit(pb.getLimit())) : Optional.empty());
            }
            case STATUS -> {
                if (!pb.hasStatus()) throw new RelayProtocolException("stop STATUS without a status");
                yield new StopStatus(Status.of(pb.getStatus().getNumber()));
            }
        };
    }

    private static PeerInfo peerInfo(CircuitProto.Peer pb) throws RelayProtocolException {
        if (!pb.hasId()) throw new RelayProtocolException("peer without an id");
        PeerId id;
        try {
            id = PeerId.fromBytes(pb.getId().toByteArray());
        } catch (RuntimeException e) {
            throw new RelayProtocolException("bad peer id: " + e.getMessage(), e);
        }
        return new PeerInfo(id, addrs(pb.getAddrsList()));
    }

    private static Reservation reservation(CircuitProto.Reservation pb) throws RelayProtocolException {
        if (!pb.hasExpire()) throw new RelayProtocolException("reservation without an expiry");
        if (pb.getExpire() < 0) throw new RelayProtocolException("reservation expiry out of range");
        return new Reservation(pb.getExpire(), addrs(pb.getAddrsList()),
                pb.hasVoucher() ? Optional.of(pb.getVoucher().toByteArray()) : Optional.empty());
    }

    private static ConnectionLimit limit(CircuitProto.Limit pb) throws RelayProtocolException {
        long data = pb.getData();
        if (data < 0) throw new RelayProtocolException("data limit out of range");
        return new ConnectionLimit(Duration.ofSeconds(Integer.toUnsignedLong(pb.getDuration())), data);
    }

    private static List<Multiaddr> addrs(List<ByteString> raw) {
        List<Multiaddr> out = new ArrayList<>();
        for (ByteString b : raw) {
            if (out.size() == MAX_ADDRS) break;
            Multiaddr.tryFromBytes(b.toByteArray()).ifPresent(out::add);
        }
        return out;
    }
}
