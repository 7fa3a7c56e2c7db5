package io.ggen.p2p.crypto;

/** The CIDv1 (libp2p-key codec 0x72) text form of peer ids; completed with the CID support. */
final class PeerIdCid {
    private PeerIdCid() {}

    static PeerId parse(String text) {
        throw new InvalidKeyException("peer id: '" + text + "' is not base58btc (12D3KooW..., Qm...)");
    }
}
