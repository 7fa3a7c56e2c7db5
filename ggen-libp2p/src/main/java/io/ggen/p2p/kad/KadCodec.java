package io.ggen.p2p.kad;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.kad.pb.KadProto;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bytes <-> {@link KadMessage}, pure. Everything a remote sends is bounded: the frame (checked by
 * the reader before this runs), the key, the record, the number of peers and of addresses per
 * peer. Peer entries with a malformed id are dropped, malformed addresses skipped, since one bad
 * entry in an otherwise useful answer is not worth losing the answer for.
 */
public final class KadCodec {
    /** Largest message accepted or sent. Records are at most {@link #MAX_VALUE} of it. */
    public static final int MAX_MESSAGE = 1 << 20;
    public static final int MAX_KEY = 1024;
    public static final int MAX_VALUE = 64 * 1024;
    /** Most peers in closerPeers or providerPeers (k is 20; providers answers hold up to k too). */
    public static final int MAX_PEERS = 64;
    public static final int MAX_ADDRS_PER_PEER = 32;

    private KadCodec() {}

    public static byte[] encode(KadMessage m) {
        KadProto.Message.Builder b = KadProto.Message.newBuilder()
                .setType(KadProto.Message.MessageType.forNumber(m.type().ordinal()))
                .setKey(ByteString.copyFrom(m.key()));
        m.record().ifPresent(r -> b.setRecord(KadProto.Record.newBuilder()
                .setKey(ByteString.copyFrom(r.key()))
                .setValue(ByteString.copyFrom(r.value()))
                .setTimeReceived(r.timeReceived().toString())));
        for (KadMessage.PeerInfo p : m.closerPeers()) b.addCloserPeers(peer(p));
        for (KadMessage.PeerInfo p : m.providerPeers()) b.addProviderPeers(peer(p));
        return b.build().toByteArray();
    }

    private static KadProto.Message.Peer peer(KadMessage.PeerInfo p) {
        KadProto.Message.Peer.Builder b = KadProto.Message.Peer.newBuilder()
                .setId(ByteString.copyFrom(p.id().toBytes()))
                .setConnection(p.connected() ? KadProto.Message.ConnectionType.CONNECTED : KadProto.Message.ConnectionType.CAN_CONNECT);
        for (Multiaddr a : p.addrs()) b.addAddrs(ByteString.copyFrom(a.toBytes()));
        return b.build();
    }

    public static KadMessage decode(byte[] bytes) throws KadException {
        if (bytes.length > MAX_MESSAGE) throw new KadException("message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE);
        KadProto.Message m;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(8);
            m = KadProto.Message.parseFrom(in);
        } catch (java.io.IOException e) {
            throw new KadException("malformed message: " + e.getMessage());
        }
        if (m.getTypeValue() < 0 || m.getTypeValue() > 5) throw new KadException("unknown message type " + m.getTypeValue());
        KadMessage.Type type = KadMessage.Type.values()[m.getTypeValue()];
        if (m.getKey().size() > MAX_KEY) throw new KadException("key of " + m.getKey().size() + " bytes exceeds " + MAX_KEY);
        if (m.getCloserPeersCount() > MAX_PEERS || m.getProviderPeersCount() > MAX_PEERS) {
            throw new KadException("more than " + MAX_PEERS + " peers in one message");
        }
        Optional<ValueRecord> record = Optional.empty();
        if (m.hasRecord()) {
            KadProto.Record r = m.getRecord();
            if (r.getKey().size() > MAX_KEY) throw new KadException("record key exceeds " + MAX_KEY + " bytes");
            if (r.getValue().size() > MAX_VALUE) throw new KadException("record value of " + r.getValue().size() + " bytes exceeds " + MAX_VALUE);
            record = Optional.of(new ValueRecord(r.getKey().toByteArray(), r.getValue().toByteArray(), time(r.getTimeReceived())));
        }
        return new KadMessage(type, m.getKey().toByteArray(), record, peers(m.getCloserPeersList()), peers(m.getProviderPeersList()));
    }

    private static Instant time(String text) {
        if (text.isEmpty() || text.length() > 64) return Instant.now();
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    private static List<KadMessage.PeerInfo> peers(List<KadProto.Message.Peer> list) {
        List<KadMessage.PeerInfo> out = new ArrayList<>(list.size());
        for (KadProto.Message.Peer p : list) {
            PeerId id;
            try {
                if (p.getId().size() > PeerId.MAX_BYTES + 64) continue;
                id = PeerId.fromBytes(p.getId().toByteArray());
            } catch (RuntimeException e) {
                continue;
            }
            List<Multiaddr> addrs = new ArrayList<>();
            for (ByteString a : p.getAddrsList()) {
                if (addrs.size() >= MAX_ADDRS_PER_PEER) break;
                Multiaddr.tryFromBytes(a.toByteArray()).ifPresent(addrs::add);
            }
            out.add(new KadMessage.PeerInfo(id, addrs, p.getConnection() == KadProto.Message.ConnectionType.CONNECTED));
        }
        return out;
    }
}
