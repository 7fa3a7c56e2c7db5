package io.ggen.p2p.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.record.Envelope;
import io.ggen.p2p.record.RecordException;
import io.ggen.p2p.relay.pb.CircuitProto;
import java.util.Objects;

/**
 * A reservation voucher: the relay's signed statement that it will relay for {@code peer} until
 * {@code expiration} (UTC seconds). It travels as a signed envelope of domain
 * {@value #DOMAIN} and payload type 0x0302.
 */
public record ReservationVoucher(PeerId relay, PeerId peer, long expiration) {
    public static final String DOMAIN = "libp2p-relay-rsvp";
    /** Multicodec 0x0302 as its unsigned varint. */
    static final byte[] PAYLOAD_TYPE = {0x03, 0x02};

    public ReservationVoucher {
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(peer, "peer");
    }

    /** The envelope bytes, signed with the relay's key (which must be {@link #relay}'s). */
    public byte[] seal(PrivateKey relayKey) {
        if (!relay.matches(relayKey.publicKey())) throw new IllegalArgumentException("the voucher's relay is not the signing key's peer");
        byte[] payload = CircuitProto.Voucher.newBuilder()
                .setRelay(ByteString.copyFrom(relay.toBytes()))
                .setPeer(ByteString.copyFrom(peer.toBytes()))
                .setExpiration(expiration)
                .build().toByteArray();
        return Envelope.seal(relayKey, DOMAIN, PAYLOAD_TYPE, payload).encode();
    }

    /**
     * Opens a voucher and checks what can be checked from it alone: the signature, the payload
     * type, and that the signer is the relay it names.
     */
    public static ReservationVoucher open(byte[] envelope) throws RelayProtocolException {
        Envelope e;
        try {
            e = Envelope.open(envelope, DOMAIN);
        } catch (RecordException ex) {
            throw new RelayProtocolException("voucher: " + ex.getMessage(), ex);
        }
        if (!e.hasPayloadType(PAYLOAD_TYPE)) throw new RelayProtocolException("voucher: wrong payload type");
        CircuitProto.Voucher pb;
        try {
            pb = CircuitProto.Voucher.parseFrom(e.payload());
        } catch (InvalidProtocolBufferException ex) {
            throw new RelayProtocolException("voucher: malformed payload: " + ex.getMessage(), ex);
        }
        if (!pb.hasRelay() || !pb.hasPeer() || !pb.hasExpiration()) throw new RelayProtocolException("voucher: relay, peer and expiration are required");
        ReservationVoucher v;
        try {
            v = new ReservationVoucher(PeerId.fromBytes(pb.getRelay().toByteArray()), PeerId.fromBytes(pb.getPeer().toByteArray()), pb.getExpiration());
        } catch (RuntimeException ex) {
            throw new RelayProtocolException("voucher: bad peer id: " + ex.getMessage(), ex);
        }
        if (!v.relay().matches(e.publicKey())) throw new RelayProtocolException("voucher: signed by " + e.signer() + ", not by the relay it names");
        return v;
    }
}
