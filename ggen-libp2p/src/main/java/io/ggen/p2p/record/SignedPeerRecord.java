package io.ggen.p2p.record;

import io.ggen.p2p.multiaddr.Multiaddr;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import java.util.List;
import java.util.Objects;

/**
 * A peer record in its signed envelope, as sent in identify's {@code signedPeerRecord} and
 * stored by peer stores. Only {@link #create} and {@link #open} make one, so the signature, the
 * domain, the payload type and the match between the record's peer id and the signing key have
 * all been checked.
 */
public record SignedPeerRecord(Envelope envelope, PeerRecord record) {
    public SignedPeerRecord {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(record, "record");
    }

    /** Signs a record of our own addresses with our key. */
    public static SignedPeerRecord create(PrivateKey key, long seq, List<Multiaddr> addresses) {
        PeerRecord record = new PeerRecord(PeerId.fromPublicKey(key.publicKey()), seq, addresses);
        Envelope envelope = Envelope.seal(key, PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE, record.encode());
        return new SignedPeerRecord(envelope, record);
    }

    /** Signs a record with the current time in milliseconds as sequence number, as js does. */
    public static SignedPeerRecord create(PrivateKey key, List<Multiaddr> addresses) {
        return create(key, System.currentTimeMillis(), addresses);
    }

    /**
     * Opens an encoded envelope holding a peer record.
     *
     * @throws RecordException if the envelope does not verify for the peer-record domain, holds
     *     another payload type, or its record names a peer other than the signer
     */
    public static SignedPeerRecord open(byte[] encodedEnvelope) throws RecordException {
        Envelope envelope = Envelope.open(encodedEnvelope, PeerRecord.DOMAIN);
        if (!envelope.hasPayloadType(PeerRecord.PAYLOAD_TYPE)) throw new RecordException("envelope does not hold a peer record");
        PeerRecord record = PeerRecord.decode(envelope.payload());
        if (!record.peerId().matches(envelope.publicKey())) {
            throw new RecordException("peer record names " + record.peerId() + " but is signed by " + envelope.signer());
        }
        return new SignedPeerRecord(envelope, record);
    }

    public PeerId peerId() {
        return record.peerId();
    }

    public byte[] encode() {
        return envelope.encode();
    }
}
