package io.ggen.p2p.record;

import io.ggen.p2p.multiaddr.Multiaddr;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.record.pb.PeerRecordProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A peer record (libp2p RFC 0003): a peer's id, a sequence number that orders its records (a
 * newer record has a higher one; compare unsigned), and the addresses it can be reached at.
 * Carried in a signed {@link Envelope}; see {@link SignedPeerRecord}.
 *
 * @param seq unsigned 64-bit; js and go use the time in milliseconds or nanoseconds
 */
public record PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses) {
    /** Envelope domain of peer records. */
    public static final String DOMAIN = "libp2p-peer-record";
    /**
     * Envelope payload type: the two bytes 0x03 0x01, the multicodec code 0x0301 written
     * big-endian, which is what js-libp2p and go-libp2p put on the wire (not its varint form).
     */
    public static final byte[] PAYLOAD_TYPE = {0x03, 0x01};
    /** Most addresses accepted in a record. */
    public static final int MAX_ADDRESSES = 64;

    public PeerRecord {
        Objects.requireNonNull(peerId, "peerId");
        addresses = List.copyOf(addresses);
        if (addresses.size() > MAX_ADDRESSES) throw new IllegalArgumentException("more than " + MAX_ADDRESSES + " addresses");
    }

    public static byte[] payloadType() {
        return PAYLOAD_TYPE.clone();
    }

    public byte[] encode() {
        PeerRecordProto.PeerRecord.Builder b = PeerRecordProto.PeerRecord.newBuilder()
                .setPeerId(ByteString.copyFrom(peerId.toBytes()))
                .setSeq(seq);
        for (Multiaddr a : addresses) {
            b.addAddresses(PeerRecordProto.PeerRecord.AddressInfo.newBuilder().setMultiaddr(ByteString.copyFrom(a.toBytes())));
        }
        return b.build().toByteArray();
    }

    /**
     * Decodes a record. Malformed addresses are left out rather than failing the record, as js
     * does with addresses it cannot parse; a malformed id or too many addresses fail it.
     */
    public static PeerRecord decode(byte[] encoded) throws RecordException {
        if (encoded.length > Envelope.MAX_ENCODED_LENGTH) throw new RecordException("peer record: too large");
        PeerRecordProto.PeerRecord pb;
        try {
            pb = PeerRecordProto.PeerRecord.parseFrom(encoded);
        } catch (InvalidProtocolBufferException e) {
            throw new RecordException("peer record: malformed protobuf: " + e.getMessage(), e);
        }
        PeerId id;
        try {
            id = PeerId.fromBytes(pb.getPeerId().toByteArray());
        } catch (RuntimeException e) {
            throw new RecordException("peer record: bad peer id: " + e.getMessage(), e);
        }
        if (pb.getAddressesCount() > MAX_ADDRESSES) throw new RecordException("peer record: more than " + MAX_ADDRESSES + " addresses");
        List<Multiaddr> addrs = new ArrayList<>(pb.getAddressesCount());
        for (PeerRecordProto.PeerRecord.AddressInfo a : pb.getAddressesList()) {
            Multiaddr.tryFromBytes(a.getMultiaddr().toByteArray()).ifPresent(addrs::add);
        }
        return new PeerRecord(id, pb.getSeq(), addrs);
    }

    /** True when this record should replace {@code other}: same peer, higher sequence number. */
    public boolean supersedes(PeerRecord other) {
        return peerId.equals(other.peerId) && Long.compareUnsigned(seq, other.seq) > 0;
    }
}
